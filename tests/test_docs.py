"""The docs page works without a network: Swagger UI is served from the wheel, nothing from a CDN."""

import re

from fastapi.testclient import TestClient


def test_docs_page_loads_only_local_assets(client: TestClient) -> None:
    page = client.get("/v1/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text) + re.findall(r"url: ?['\"]([^'\"]+)['\"]", page.text)
    assert urls, page.text
    for url in urls:
        assert url.startswith("/v1/"), url  # no CDN: the page must render offline
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100, url
    assert "/v1/docs/static/swagger-ui-bundle.js" in urls
    assert "cdn" not in page.text.lower()


def test_swagger_ui_renders_openapi_3_1() -> None:
    # Swagger UI 4 refuses an OpenAPI 3.1 document ("does not specify a valid version field").
    from swagger_ui_bundle import swagger_ui_path

    assert int(swagger_ui_path.name.removeprefix("swagger-ui-").split(".")[0]) >= 5
