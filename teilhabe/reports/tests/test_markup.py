from teilhabe.reports import markup


def test_headings_lists_links_and_escaping() -> None:
    html = str(
        markup.to_html(
            "## Titel\nText mit **fett** und [Link](https://example.org).\n\n- eins\n- zwei\n\n1. a\n2. b\n"
            "<script>alert(1)</script> [böse](javascript:alert(1))"
        )
    )
    assert '<h2 class="kern-heading-medium">Titel</h2>' in html
    assert "<strong>fett</strong>" in html
    assert '<a class="kern-link" href="https://example.org">Link</a>' in html
    assert '<ul class="kern-list"><li>eins</li><li>zwei</li></ul>' in html
    assert "<ol" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_blocks_are_plain_data() -> None:
    blocks = markup.parse("### Unter\nA\nB")
    assert blocks[0] == {"type": "heading", "level": 2, "inlines": [{"kind": "text", "text": "Unter"}]}
    assert blocks[1]["inlines"][0]["text"] == "A B"
