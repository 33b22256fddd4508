"""The MkDocs hooks of every build: built pages drop what they no longer need, the written
HTML loses only blank space between lines, never inside <pre>, <textarea> or scripts, and the
theme's own scripts are minified in the site."""

from __future__ import annotations

import gzip
from pathlib import Path

import yaml

from generator.mkdocs_hooks import collapse_whitespace, minify_theme_scripts, on_page_content, on_post_page
from generator.render.config import HOOKS


class FakePage:
    markdown = "# Title\n\nText."
    content = "<h1>Title</h1>"


def test_blank_runs_spanning_lines_become_one_line_break():
    html = '<nav>\n      \n    <ul>\n\n  <li>  <a href="x">\n   GO 1: One\n  </a></li>\n</ul>\n</nav>'
    assert collapse_whitespace(html) == '<nav>\n<ul>\n<li>  <a href="x">\nGO 1: One\n</a></li>\n</ul>\n</nav>'


def test_preformatted_text_scripts_and_styles_are_kept_verbatim():
    kept = ("<pre><code>line 1\n\n    indented\n</code></pre>", "<textarea>a\n\n  b</textarea>",
            '<script type="application/json">{"a":\n\n  1}</script>', "<script>\n  var a = `x\n\n  y`;\n</script>",
            "<STYLE>\n  p {\n    color: red }\n</STYLE>")
    for fragment in kept:
        assert collapse_whitespace("<div>\n\n  " + fragment + "\n\n</div>") == "<div>\n" + fragment + "\n</div>"


def test_words_on_one_line_keep_their_spacing():
    text = "<p>Employees  shall not\tpost.</p>"
    assert collapse_whitespace(text) == text


def test_a_built_page_drops_its_markdown_and_html():
    page = FakePage()
    assert on_page_content("<h1>Title</h1>", page=page) == "<h1>Title</h1>"
    assert page.markdown == ""
    assert on_post_page("<html>\n\n</html>", page=page) == "<html>\n</html>"
    assert page.content == ""


def test_the_generated_config_runs_the_hooks(built_site):
    assert HOOKS.is_file()
    # The bundled site is built with them: its pages carry no blank lines between tags.
    html = (built_site / "orders" / "418.html").read_text(encoding="utf-8")
    assert "\n\n" not in html.split("<pre", 1)[0]


def test_hooks_reach_mkdocs_yml(make_project, tmp_path):
    from generator.build import build_site

    project = make_project({"policy/go-1.yaml": 'number: "1"\ntitle: One\neffective: 2020-01-01\nsections:\n'
                                                '  - {number: "01", heading: Purpose, text: The purpose.}\n'})
    build_site(project, project / "site", keep_docs=tmp_path / "gen")
    config = yaml.safe_load((tmp_path / "gen" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["hooks"] == [str(HOOKS)]


def test_the_themes_own_scripts_are_minified_and_nothing_else(tmp_path: Path):
    theme, site = tmp_path / "overrides", tmp_path / "site"
    (theme / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "javascripts").mkdir(parents=True)
    source = "/* How it works, at length. */\n(function () {\n  // the answer\n  var answer = 6 * 7;\n  window.answer = answer;\n})();\n"
    (theme / "assets" / "javascripts" / "ours.js").write_text(source)
    (site / "assets" / "javascripts" / "ours.js").write_text(source)
    (site / "assets" / "javascripts" / "theirs.js").write_text(source)  # not the theme's: kept as it is
    assert minify_theme_scripts(str(theme), str(site)) == [site / "assets" / "javascripts" / "ours.js"]
    small = (site / "assets" / "javascripts" / "ours.js").read_text()
    assert small == "(function(){var answer=6*7;window.answer=answer;})();"
    assert (site / "assets" / "javascripts" / "theirs.js").read_text() == source
    minify_theme_scripts(str(theme), str(site))  # again, as a partial rebuild does: unchanged
    assert (site / "assets" / "javascripts" / "ours.js").read_text() == small
    assert minify_theme_scripts(None, str(site)) == []


def test_the_built_sites_scripts_are_the_minified_sources(built_site):
    sources = sorted((Path(__file__).resolve().parent.parent / "site_overrides" / "assets" / "javascripts").glob("*.js"))
    assert len(sources) >= 7
    for source in sources:
        built = (built_site / "assets" / "javascripts" / source.name).read_bytes()
        assert len(gzip.compress(built)) < 0.85 * len(gzip.compress(source.read_bytes())), source.name
        assert not built.lstrip().startswith(b"/*")  # the header comment is gone
    # The browser tests run these minified scripts (quiz, records, "Can I…?", search).
