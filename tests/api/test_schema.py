"""The OpenAPI schema at /api/schema/ and the Swagger UI at /api/docs/, served without any CDN."""

import re

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

CONTRACT_PATHS = [
    "divisions/",
    "divisions/{code}/",
    "streets/",
    "streets/{code}/",
    "communities/",
    "communities/{code}/",
    "community-stats/",
    "community-stats/{id}/",
    "community-stats/{id}/submit/",
    "community-stats/{id}/approve/",
    "community-stats/{id}/return/",
    "facilities/",
    "facilities/{id}/",
    "volunteer-organizations/",
    "volunteer-organizations/{id}/",
    "volunteers/",
    "volunteers/{id}/",
    "social-organizations/",
    "social-organizations/{id}/",
    "workers/",
    "workers/{id}/",
    "auth/token/",
    "jobs/",
    "jobs/{id}/",
]


@pytest.fixture
def schema():
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_schema_describes_every_contract_path(schema):
    missing = [p for p in CONTRACT_PATHS if f"/api/v1/{p}" not in schema["paths"]]
    assert not missing


def test_schema_documents_the_error_answers(schema):
    paths = schema["paths"]
    update = paths["/api/v1/community-stats/{id}/"]["put"]["responses"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(update)
    create = paths["/api/v1/volunteers/"]["post"]["responses"]
    assert {"201", "400", "401", "403"} <= set(create)
    assert "204" in paths["/api/v1/workers/{id}/"]["delete"]["responses"]
    assert "429" in paths["/api/v1/auth/token/"]["post"]["responses"]
    assert set(paths["/api/v1/volunteers/"]["post"]["requestBody"]["content"]) == {
        "application/json"
    }


def test_docs_page_loads_everything_from_this_server():
    client = APIClient()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
    static = [u for u in urls if u.startswith("/static/")]
    assert any("swagger-ui-bundle.js" in u for u in static)
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url
    script = next(u for u in urls if "script" in u and not u.startswith("/static/"))
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200
    assert "/api/schema/" in init.content.decode()
    assert "unpkg" not in html and "jsdelivr" not in html and "cdn" not in html.lower()


def test_docs_page_has_no_inline_style_or_script_for_the_csp_to_block():
    html = APIClient().get("/api/docs/").content.decode()
    assert "<style" not in html
    assert re.search(r"<script>(?!\s*</script>)", html) is None
    assert "/static/css/swagger.css" in html
