import hashlib
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_vendored_htmx_is_the_official_2_0_11_build():
    assert hashlib.sha256((STATIC / "vendor" / "htmx.min.js").read_bytes()).hexdigest() == HTMX_SHA256


def test_vendored_htmx_is_served_with_a_fingerprint_and_long_cache(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/vendor/htmx.min.js?v=" in page
    url = page.split('src="', 2)[1].split('"')[0]
    response = client.get(url)
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == HTMX_SHA256
    assert "immutable" in response.headers["Cache-Control"]
    response.close()


def test_pages_load_no_asset_from_elsewhere(client):
    page = client.get("/").get_data(as_text=True)
    for attribute in ('src="http', "src=\"//", 'href="http', 'href="//'):
        assert attribute not in page
