"""A synthetic police department in Rollcall's own order format, for benchmarks.

    python benchmarks/synthetic.py OUT_DIR --orders 200 [--seed 418]

writes a project folder that `rollcall --root OUT_DIR check` and `... build` accept:

    OUT_DIR/policy/go-100.yaml ... go-<100+N-1>.yaml   N orders shaped like General Order 418
    OUT_DIR/mkdocs.yml                                 a copy of this project's site settings
    OUT_DIR/site_overrides                             a symlink to this project's (a copy if
                                                       symlinks are not possible)
    OUT_DIR/scenarios/go-<n>.yaml                      one training module per order (with --scenarios)

Each order has the header of 418 (agency, series, title, effective and review dates,
action/action_dated, authority, CALEA standards, total pages) and five sections: "02" holds
6-12 definitions, the four others 3-8 lettered clauses each, some clauses with 2-5 numbered
items, some with a printed heading, some with an editorial label, some with search keywords.
The text is about 1,500 words per order of policy-like English made from word lists, and uses
the order's defined terms so that term linking has work to do.

The output is deterministic: the same seed gives byte-identical files, and each order depends
only on the seed and its own number, so order 150 is the same in a 200- and a 2000-order
department. Two orders are landmarks that the search benchmark looks for (see `landmarks`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parent.parent
FIRST_NUMBER = 100
WORDS_PER_ORDER = 1500

# --------------------------------------------------------------------------- word lists

TOPICS = [
    "Vehicle Pursuits", "Body-Worn Cameras", "Use of Force", "Property and Evidence",
    "Arrest Procedures", "Juvenile Procedures", "Domestic Violence", "Missing Persons",
    "Towing and Impound", "Radio Communications", "Court Appearances",
    "Overtime and Compensatory Time", "Uniforms and Equipment", "Firearms Qualification",
    "Ride-Along Program", "Crisis Intervention", "Search and Seizure",
    "Interviews and Interrogations", "Eyewitness Identification", "Prisoner Transport",
    "Special Events", "Emergency Operations", "Fleet Maintenance", "Records Management",
    "Internal Investigations", "Early Intervention System", "Secondary Employment",
    "Media Relations", "Language Access", "Hate Bias Incidents", "Traffic Enforcement",
    "School Resource Officers", "Canine Operations", "Conducted Electrical Weapons",
    "Less-Lethal Munitions", "Mutual Aid", "Hostage and Barricade Incidents", "Bomb Threats",
    "Foot Pursuits", "Field Training Program", "Performance Evaluations", "Grievance Procedure",
    "Sick Leave", "Line-of-Duty Deaths", "Critical Incident Stress Management",
    "Sexual Harassment", "Drug and Alcohol Testing", "Confidential Informants",
    "Asset Forfeiture", "Alarm Response", "Animal Complaints", "Emergency Petitions",
    "Naloxone Administration", "Bicycle Patrol", "Mobile Devices", "Impaired Driving Enforcement",
    "Victim and Witness Assistance", "Crime Scene Processing", "Holding Facility",
    "Tactical Team Deployment", "Code of Conduct", "Complaint Investigation", "Promotions",
]
TITLE_QUALIFIERS = ["Supplemental Procedures", "Supervision", "Training", "Equipment", "Records",
                    "Reporting", "Special Circumstances", "Administration"]

SECTION_HEADINGS = {
    "01": ["Policy", "Purpose and Policy", "General Provisions"],
    "03": ["Procedures", "General Procedures", "Operational Procedures", "Field Procedures"],
    "04": ["Responsibilities", "Supervisory Responsibilities", "Duties of Members", "Command Responsibilities"],
    "05": ["Reporting and Documentation", "Review and Reporting", "Records and Retention", "Training and Compliance"],
}

SUBJECTS = [
    "employees", "officers", "sworn members", "civilian employees", "supervisors",
    "the shift supervisor", "the watch commander", "the Office of Professional Standards",
    "the Chief of Police or designee", "the Records Unit", "the training coordinator",
    "the primary officer", "the assigned investigator", "each member",
    "the property and evidence custodian", "the Communications Center",
    "personnel assigned to the unit", "the patrol commander", "the reporting officer",
    "the on-scene supervisor",
]
MODALS = ["shall", "shall", "will", "must", "may", "should"]
VERBS = [
    "document", "review", "maintain", "inspect", "forward", "record", "retain", "verify",
    "secure", "submit", "approve", "log", "safeguard", "complete", "preserve", "update",
    "examine", "account for", "coordinate", "report",
]
OBJECTS = [
    "all relevant information", "the incident report", "the chain of custody",
    "any property seized", "the department vehicle", "the recording", "written authorization",
    "the supplemental report", "a copy of the citation", "the use of force report",
    "the evidence log", "any statement made by the subject", "the scene",
    "the digital photographs", "the case file", "the daily activity log", "the arrest report",
    "the radio transmission", "the inventory sheet", "the notification form",
    "the training record", "all equipment issued", "the tow report", "the call for service",
    "the complaint", "the results of the inspection", "the names of all witnesses",
    "the time and location of the incident",
]
CONDITIONS = [
    "as soon as practicable", "prior to the end of the tour of duty",
    "when responding to calls for service", "in accordance with state law",
    "unless exigent circumstances exist", "within twenty-four hours",
    "while on duty", "at the scene of an incident", "during a traffic stop",
    "consistent with departmental training", "before leaving the scene",
    "in the manner prescribed by the Chief of Police", "when it is safe to do so",
    "whenever a crime is reported", "at the beginning of each shift",
    "following any arrest", "in the presence of a supervisor", "before the next court date",
    "when directed by a supervisor", "after consulting the State's Attorney",
]
OPENERS = [
    "Except as otherwise provided in this order", "In all cases", "Where feasible",
    "When circumstances permit", "For purposes of this order", "Whenever possible",
    "Without the approval of a supervisor", "Once the incident has been stabilized",
    "If the situation allows", "Subject to the availability of personnel",
]
APPROVALS = ["the approval of a supervisor", "written permission from the Chief of Police",
             "prior notification of the watch commander", "a valid court order",
             "the consent of the person concerned", "the approval of the Office of Professional Standards"]
REASONS = [
    "the safety of the public and of officers", "the integrity of the investigation",
    "the accuracy of department records", "public confidence in the department",
    "compliance with applicable law", "the rights of the persons involved",
    "the continuity of operations", "the efficient use of department resources",
]

TERMS = [
    "Exigent Circumstances", "Chain of Custody", "Reasonable Suspicion", "Probable Cause",
    "Tour of Duty", "Primary Unit", "Recording Device", "Department Vehicle", "Secure Facility",
    "Incident Commander", "Supervisor", "Member", "Detainee", "Juvenile", "Victim", "Witness",
    "Serious Bodily Injury", "Deadly Force", "Less-Lethal Weapon", "Emergency Response",
    "Pursuit", "Roadblock", "Evidence", "Contraband", "Found Property", "Temporary Custody",
    "Field Interview", "Custodial Interrogation", "Show-Up", "Photo Array", "Tow Rotation List",
    "Impound", "Special Event", "Mutual Aid Agreement", "Critical Incident", "Peer Support",
    "Secondary Employer", "Public Information Officer", "Limited English Proficiency",
    "Interpreter", "Bias Incident", "Early Warning Indicator", "Administrative Leave",
    "Line of Duty", "Informant", "Handler", "Controlled Substance", "Alarm Activation",
    "Dangerous Animal", "Emergency Petition", "Opioid Overdose", "Mobile Device",
    "Official Business", "Personal Use", "Holding Cell", "Tactical Operation", "Complainant",
    "Preliminary Investigation", "Shift Briefing", "Duty Weapon",
]
GENUS = [
    "any situation", "a written record", "a period of time", "a condition", "any person",
    "any device", "the process", "an area", "an agreement", "a vehicle", "a member of the department",
    "an event", "information", "any item",
]
DIFFERENTIA = [
    "in which a reasonable officer would believe that immediate action is necessary",
    "that documents each transfer of an item from one person to another",
    "during which a member is scheduled to perform official duties",
    "assigned by the Communications Center to handle a call for service",
    "maintained by the department for the storage of property and evidence",
    "that is capable of capturing audio or video",
    "owned, leased or rented by the City and assigned to the department",
    "designated by the Chief of Police for a specific purpose",
    "who has been taken into custody but not yet charged",
    "under the age of eighteen years",
    "that poses a substantial risk of death or serious permanent disfigurement",
    "which is reasonably likely to cause death or serious physical injury",
    "that has come into the possession of the department through lawful means",
    "approved by the department for use by trained personnel",
    "which a member encounters while performing official duties",
]

HEADINGS = [
    "Notification", "Documentation", "Supervisory Review", "Equipment", "Training",
    "Exceptions", "Reporting Requirements", "Retention", "Release of Information",
    "Scene Security", "Transport", "Approval", "Inspection", "Storage", "Communications",
    "Coordination with Other Agencies", "Medical Attention", "Follow-Up Investigation",
    "Prohibited Conduct", "Discipline", "Audit", "Disposition",
]
LABELS = [
    "When to notify a supervisor", "What to write in the report", "Who may approve",
    "Keeping the recording", "Leaving the scene", "Taking property into custody",
    "Working with outside agencies", "Talking to the press", "Using a personal phone",
    "Off-duty conduct", "Medical care after an incident", "Late or missing reports",
]
KEYWORDS = [
    "overtime", "day off", "lunch break", "cruiser", "squad car", "phone", "text message",
    "bodycam", "tow truck", "impound lot", "ticket", "court date", "subpoena", "lawsuit",
    "complaint", "uniform", "badge", "gun", "taser", "pepper spray", "handcuffs", "K9",
    "kid", "teenager", "school", "hospital", "ambulance", "crash", "fender bender",
    "drunk driver", "DUI", "drugs", "protest", "parade", "snowstorm", "power outage",
    "radio", "dispatch", "911 call", "sick day", "vacation", "side job", "ride along",
    "reporter", "TV news", "Facebook", "video", "footage", "evidence room", "locker",
    "search warrant", "backup", "chase", "speeding", "lights and siren", "paperwork",
]
CHIEFS = ["Antonio DeVaul", "Maria Okafor", "James Whitfield", "Linda Park", "Robert Salas"]
PROPER = {"English"}  # words of a term that stay capitalised in running text
AGENCY = "METROPOLITAN CITY POLICE DEPARTMENT"

# The clause the everyday-words search benchmark must find: the words are common in the
# generated text, the combination appears only here (in the label, so it is in a heading).
NEEDLE_QUERY = "crime scene photo"
NEEDLE_LABEL = "Crime scene photos"
NEEDLE_KEYWORDS = ["crime scene photo", "scene pictures", "photo of evidence"]


def landmarks(orders: int, first: int = FIRST_NUMBER) -> dict[str, tuple[str, str]]:
    """Queries with a known right answer in a department of `orders` orders.

    Returns {"citation": (query, anchor), "everyday": (query, anchor)}; the anchor is the
    fragment (without '#') of the unit the query should find.
    """
    cited = first + orders // 4
    needle = first + (3 * orders) // 4
    return {
        "citation": (f"{cited}.05.C", f"{cited}.05.C"),
        "everyday": (NEEDLE_QUERY, f"{needle}.04.B"),
    }


# --------------------------------------------------------------------------- text


class _Writer:
    """Policy-like sentences from the word lists, using the order's defined terms."""

    def __init__(self, rng: random.Random, terms: list[str]):
        self.rng = rng
        self.terms = [" ".join(w if w in PROPER else w.lower() for w in t.split()) for t in terms]

    def obj(self) -> str:
        if self.terms and self.rng.random() < 0.3:
            return f"the {self.rng.choice(self.terms)}"
        return self.rng.choice(OBJECTS)

    def sentence(self) -> str:
        r = self.rng
        pattern = r.randrange(7)
        if pattern == 0:
            s = f"{r.choice(SUBJECTS)} {r.choice(MODALS)} {r.choice(VERBS)} {self.obj()} {r.choice(CONDITIONS)}"
        elif pattern == 1:
            s = f"{r.choice(OPENERS)}, {r.choice(SUBJECTS)} {r.choice(MODALS)} {r.choice(VERBS)} {self.obj()}"
        elif pattern == 2:
            s = f"{r.choice(SUBJECTS)} {r.choice(['shall', 'will', 'may'])} not {r.choice(VERBS)} {self.obj()} without {r.choice(APPROVALS)}"
        elif pattern == 3:
            s = (f"any member who becomes aware of {self.obj()} {r.choice(['shall', 'will'])} promptly notify "
                 f"{r.choice(['a supervisor', 'the watch commander', 'the Communications Center'])}")
        elif pattern == 4:
            s = f"this requirement exists to protect {r.choice(REASONS)} and {r.choice(REASONS)}"
        elif pattern == 5:
            s = f"{self.obj()} {r.choice(['shall', 'will', 'must'])} be {r.choice(['documented', 'reviewed', 'retained', 'secured', 'forwarded to the Records Unit'])} {r.choice(CONDITIONS)}"
        else:
            s = (f"when {self.obj()} cannot be {r.choice(['located', 'completed', 'secured', 'verified'])} "
                 f"{r.choice(CONDITIONS)}, {r.choice(SUBJECTS)} {r.choice(MODALS)} {r.choice(VERBS)} {self.obj()}")
        return s[0].upper() + s[1:] + "."

    def text(self, words: int) -> str:
        """Sentences until the text is as close as it gets to `words` words."""
        out = [self.sentence()]
        count = len(out[0].split())
        while count < words:
            s = self.sentence()
            n = len(s.split())
            if count + n - words > words - count:
                break
            out.append(s)
            count += n
        return " ".join(out)

    def item(self, words: int, last: bool) -> str:
        r = self.rng
        s = f"{self.obj()} {r.choice(CONDITIONS)}"
        while len(s.split()) + 3 <= words:
            s += f", including {self.obj()}"
        return s[0].upper() + s[1:] + ("." if last else ";")


# --------------------------------------------------------------------------- orders


def _title(index: int) -> str:
    topic = TOPICS[index % len(TOPICS)]
    cycle = index // len(TOPICS)
    return topic if cycle == 0 else f"{topic}: {TITLE_QUALIFIERS[(cycle - 1) % len(TITLE_QUALIFIERS)]}"


def _letters(count: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(count)]


def make_order(number: int, index: int, seed: int, needle: bool = False) -> dict[str, Any]:
    """One order as the YAML document (a dict in the order of 418's keys)."""
    rng = random.Random(f"rollcall-synthetic:{seed}:{number}")
    effective = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(13 * 365))
    review = effective.replace(day=min(effective.day, 28)).replace(year=effective.year + 3)
    action = rng.choice(["new", "amends", "amends", "rescinds"])
    terms = rng.sample(TERMS, rng.randint(6, 12))
    writer = _Writer(rng, terms)

    # Structure first, then words: each unit gets a share of about WORDS_PER_ORDER words.
    clause_counts = {s: rng.randint(3, 8) for s in ("01", "03", "04", "05")}
    plan: list[tuple[str, Any]] = []
    sections: list[dict[str, Any]] = []
    for s_number in ("01", "02", "03", "04", "05"):
        if s_number == "02":
            section = {"number": s_number, "heading": "Definitions", "definitions": []}
            for term in terms:
                definition: dict[str, Any] = {"term": term, "text": ""}
                if rng.random() < 0.2 and not term.endswith("s"):
                    definition["also"] = [term.lower() + "s"]
                section["definitions"].append(definition)
                plan.append(("definition", definition))
            sections.append(section)
            continue
        section = {"number": s_number, "heading": rng.choice(SECTION_HEADINGS[s_number])}
        if s_number == "01" or rng.random() < 0.6:
            section["text"] = ""
            plan.append(("section", section))
        section["clauses"] = []
        for letter in _letters(clause_counts[s_number]):
            clause: dict[str, Any] = {"letter": letter}
            kind = rng.random()
            if kind < 0.5:
                clause["heading"] = rng.choice(HEADINGS)
            elif kind < 0.8:
                clause["label"] = rng.choice(LABELS)
            if rng.random() < 0.4:
                clause["keywords"] = rng.sample(KEYWORDS, rng.randint(2, 5))
            if needle and (s_number, letter) == ("04", "B"):
                clause = {"letter": letter, "label": NEEDLE_LABEL, "keywords": list(NEEDLE_KEYWORDS)}
            clause["text"] = ""
            plan.append(("clause", clause))
            if rng.random() < 0.3:
                clause["items"] = []
                for n in range(1, rng.randint(2, 5) + 1):
                    item = {"number": n, "text": ""}
                    clause["items"].append(item)
                    plan.append(("item", item))
            section["clauses"].append(clause)
        sections.append(section)

    weights = {"section": 45, "definition": 22, "clause": 55, "item": 14}
    weight_left = sum(weights[kind] for kind, _ in plan)
    budget = WORDS_PER_ORDER * rng.uniform(0.9, 1.1) - _count_words(sections)  # less headings etc.
    for kind, node in plan:
        # each unit gets its share of what is left, so overshoot early is made up later
        words = max(6, round(weights[kind] * budget / weight_left))
        weight_left -= weights[kind]
        if kind == "definition":
            lead = f"{rng.choice(GENUS).capitalize()} {rng.choice(DIFFERENTIA)}."
            node["text"] = lead if words <= len(lead.split()) else f"{lead} {writer.text(words - len(lead.split()))}"
        elif kind == "item":
            node["text"] = writer.item(words, last=False)
        else:
            node["text"] = writer.text(words)
        budget -= len(node["text"].split())
    for section in sections:
        for clause in section.get("clauses", []):
            if clause.get("items"):
                clause["items"][-1]["text"] = clause["items"][-1]["text"][:-1] + "."

    order: dict[str, Any] = {
        "agency": AGENCY,
        "series": "GENERAL ORDERS",
        "number": str(number),
        "title": _title(index),
        "effective": effective.isoformat(),
        "review": review.isoformat(),
        "action": action,
    }
    if action != "new":
        order["action_dated"] = (effective - dt.timedelta(days=rng.randrange(365, 6 * 365))).isoformat()
    order["authority"] = f"Chief {rng.choice(CHIEFS)}"
    order["calea_standards"] = sorted(
        f"{rng.randint(1, 84)}.{rng.randint(1, 4)}.{rng.randint(1, 9)}" for _ in range(rng.randint(0, 3))
    )
    order["sections"] = sections
    words = _count_words(sections)
    order["total_pages"] = max(1, round(words / 400) + 1)
    return order


def _count_words(node: Any) -> int:
    if isinstance(node, str):
        return len(node.split())
    if isinstance(node, dict):
        return sum(_count_words(v) for k, v in node.items() if k not in ("number", "letter"))
    if isinstance(node, list):
        return sum(_count_words(v) for v in node)
    return 0


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if len(value) > 80 and "\n" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def order_yaml(order: dict[str, Any], seed: int) -> str:
    header = (
        f"# Synthetic General Order {order['number']}: generated by benchmarks/synthetic.py "
        f"(seed {seed}).\n# Not a real order; for benchmarks only.\n"
    )
    body = yaml.dump(order, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return header + body


# --------------------------------------------------------------------------- department


def _link_or_copy(source: Path, target: Path) -> None:
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    try:
        os.symlink(source, target, target_is_directory=source.is_dir())
    except OSError:
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


VERDICT_CYCLE = ("prohibited_unless", "permitted", "prohibited", "required")


def add_rules(order: dict[str, Any], rule_count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Give the order declared facts and up to `rule_count` clause rules; return (act, kind) per rule."""
    clauses = [(s, c) for s in order["sections"] for c in s.get("clauses", [])]
    acts: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    for index, (section, clause) in enumerate(clauses[:rule_count]):
        act = f"act_{section['number']}_{clause['letter'].lower()}"
        kind = VERDICT_CYCLE[index % len(VERDICT_CYCLE)]
        values[act] = f"Something that {order['number']}.{section['number']}.{clause['letter']} governs"
        rule: dict[str, Any] = {"when": {"act": act}, "because": f"clause {clause['letter']} says so"}
        if kind == "prohibited_unless":
            rule.update(verdict="prohibited", unless={"permission": "written_chief"},
                        unless_because="the Chief gave written permission")
        else:
            rule["verdict"] = kind
        clause["rules"] = [rule]
        acts.append((act, kind))
    facts = {
        "act": {"question": "What are you about to do?", "values": values},
        "duty": {"question": "On duty or off duty?", "values": {"on_duty": "On duty", "off_duty": "Off duty"}},
        "permission": {"question": "Who gave permission?", "values": {"written_chief": "The Chief, in writing", "none": "Nobody"}},
    }
    order_items = list(order.items())
    order.clear()
    for key, value in order_items:
        if key == "sections":
            order["facts"] = facts
        order[key] = value
    return acts


def scenario_module(order: dict[str, Any], acts: list[tuple[str, str]], count: int, rng: random.Random, writer: Any) -> dict[str, Any]:
    """A module of `count` scenarios on the order, every rule covered at least once."""
    scenarios = []
    for n in range(count):
        act, kind = acts[n % len(acts)]
        permission = rng.choice(["written_chief", "none"])
        facts = {"act": act, "duty": rng.choice(["on_duty", "off_duty"]), "permission": permission}
        verdict = {"prohibited_unless": "permitted" if permission == "written_chief" else "prohibited"}.get(kind, kind)
        scenario: dict[str, Any] = {
            "id": f"s{n + 1}",
            "name": f"Scenario {n + 1} of GO {order['number']} is {verdict.replace('_', ' ')}",
            "situation": writer.text(rng.randint(25, 45)),
            "facts": facts,
            "difficulty": rng.randint(1, 3),
        }
        if n % 2 == 0:
            scenario["expect"] = {"verdict": verdict}
        if n % 3 == 0:
            scenario["ask"] = ["verdict", "clause"]
        scenarios.append(scenario)
    return {
        "module": {"id": f"go-{order['number']}", "title": f"GO {order['number']}: {order['title']}", "order": order["number"],
                   "quiz": {"questions": min(8, count), "pass_mark": 80}},
        "scenarios": scenarios,
    }


def write_department(root: Path, orders: int, seed: int = 418, scenarios: int = 0, *,
                     first: int = FIRST_NUMBER, project: Path = PROJECT) -> None:
    """Create the project folder `root` with `orders` synthetic orders numbered from `first`.

    `project` is where mkdocs.yml (copied) and site_overrides/ (symlinked) come from.
    With `scenarios` > 0, each order also gets declared facts, a rule on each of its first
    clauses, and a training module of about scenarios/orders scenarios over those rules
    (scenarios/go-<n>.yaml), so `rollcall check` evaluates every one.
    Existing policy/*.yaml and scenarios/*.yaml files in `root` are removed first.
    """
    if orders < 1:
        raise ValueError("orders must be at least 1")
    root = Path(root)
    policy = root / "policy"
    policy.mkdir(parents=True, exist_ok=True)
    for old in list(policy.glob("*.yaml")) + list(policy.glob("*.yml")):
        old.unlink()
    (root / "scenarios").mkdir(exist_ok=True)
    for old in (root / "scenarios").glob("*.yaml"):
        old.unlink()
    needle = landmarks(orders, first)["everyday"][1].split(".")[0]
    per_order = -(-scenarios // orders) if scenarios else 0
    for index in range(orders):
        number = first + index
        order = make_order(number, index, seed, needle=str(number) == needle)
        if per_order:
            rng = random.Random(f"rollcall-synthetic-scenarios:{seed}:{number}")
            acts = add_rules(order, per_order, rng)
            module = scenario_module(order, acts, per_order, rng, _Writer(rng, [d["term"] for s in order["sections"] for d in s.get("definitions", [])]))
            (root / "scenarios" / f"go-{number}.yaml").write_text(
                yaml.dump(module, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        (policy / f"go-{number}.yaml").write_text(order_yaml(order, seed), encoding="utf-8")
    shutil.copy2(project / "mkdocs.yml", root / "mkdocs.yml")
    _link_or_copy((project / "site_overrides").resolve(), root / "site_overrides")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic Rollcall department (policy/*.yaml, mkdocs.yml, site_overrides).")
    parser.add_argument("out", type=Path, help="project folder to create")
    parser.add_argument("--orders", type=int, default=200, help="number of orders (default 200)")
    parser.add_argument("--seed", type=int, default=418, help="random seed (default 418)")
    parser.add_argument("--first", type=int, default=FIRST_NUMBER, help=f"number of the first order (default {FIRST_NUMBER})")
    parser.add_argument("--scenarios", type=int, default=0, help="training scenarios in all (default 0: none)")
    args = parser.parse_args(argv)
    write_department(args.out, args.orders, args.seed, args.scenarios, first=args.first)
    marks = landmarks(args.orders, args.first)
    print(f"Wrote {args.orders} orders to {args.out / 'policy'} (go-{args.first}..go-{args.first + args.orders - 1}).")
    for name, (query, anchor) in marks.items():
        print(f"  {name} search: {query!r} -> #{anchor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
