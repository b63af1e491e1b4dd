"""The menu API over real PostgreSQL, Redis and the MongoDB wire server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from restaurant.app import create_app
from restaurant.settings import Settings


def _keys(body: dict[str, Any]) -> list[str]:
    return [item["key"] for item in body["items"]]


async def test_menu_api_whole_menu_with_etag(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/api/v1/menu")
    assert response.status_code == 200
    body = response.json()
    assert body["restaurant"]["key"] == "demo"
    categories = [c["key"] for c in body["categories"]]
    assert {"pizzas", "burgers", "salads", "sides", "drinks", "desserts"} <= set(categories)
    pepperoni = next(
        i for c in body["categories"] for i in c["items"] if i["key"] == "pepperoni_pizza"
    )
    assert pepperoni["image"] == "/static/menu/pepperoni_pizza.svg"
    assert {g["key"] for g in pepperoni["option_groups"]} >= {"pizza_size", "toppings"}
    etag = response.headers["etag"]
    again = await client.get("/api/v1/menu", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


async def test_menu_api_item_images_are_served(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/static/menu/pepperoni_pizza.svg")
    assert response.status_code == 200
    assert response.content.startswith(b"<svg")


async def test_menu_api_search_tolerates_typos(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/api/v1/menu/items", params={"q": "peperoni"})
    assert response.status_code == 200
    assert _keys(response.json())[0] == "pepperoni_pizza"
    response = await client.get("/api/v1/menu/items", params={"q": "cesar salad"})
    assert _keys(response.json())[0] == "caesar_salad"


async def test_menu_api_dietary_filters(client: AsyncTestClient[Any]) -> None:
    vegetarian = (
        await client.get("/api/v1/menu/items", params={"tag": "vegetarian", "limit": 100})
    ).json()
    assert vegetarian["count"] > 10
    assert all("vegetarian" in i["tags"] for i in vegetarian["items"])
    assert "pepperoni_pizza" not in _keys(vegetarian)
    vegan_pizza = (
        await client.get("/api/v1/menu/items", params={"tag": ["vegan"], "category": "pizzas"})
    ).json()
    assert _keys(vegan_pizza) == ["vegan_garden_pizza"]
    spicy_cheap = (
        await client.get("/api/v1/menu/items", params={"tag": "spicy", "max_price": "12"})
    ).json()
    assert spicy_cheap["count"] >= 1
    assert all("spicy" in i["tags"] and float(i["price"]) <= 12 for i in spicy_cheap["items"])


async def test_menu_api_allergen_free_filter(client: AsyncTestClient[Any]) -> None:
    body = (
        await client.get(
            "/api/v1/menu/items", params={"allergen_free": ["gluten", "dairy"], "limit": 100}
        )
    ).json()
    assert body["count"] >= 5
    for item in body["items"]:
        assert not {"gluten", "dairy"} & set(item["allergens"])
    assert "margherita_pizza" not in _keys(body)


async def test_menu_api_unavailable_items_can_be_filtered(client: AsyncTestClient[Any]) -> None:
    everything = _keys(
        (await client.get("/api/v1/menu/items", params={"category": "desserts"})).json()
    )
    orderable = _keys(
        (
            await client.get(
                "/api/v1/menu/items", params={"category": "desserts", "available": "true"}
            )
        ).json()
    )
    assert "pumpkin_cheesecake" in everything
    assert "pumpkin_cheesecake" not in orderable


async def test_menu_api_bad_parameters_are_problem_details(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/api/v1/menu/items", params={"limit": "0"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert problem["extra"][0]["key"] == "limit"
    response = await client.get("/api/v1/menu/items", params={"max_price": "cheap"})
    assert response.status_code == 400
    assert (await client.get("/api/v1/nope")).status_code == 404


async def test_menu_api_health(client: AsyncTestClient[Any]) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"postgres": "ok", "redis": "ok", "mongo": "ok"}


async def test_menu_api_openapi_documents_the_menu(client: AsyncTestClient[Any]) -> None:
    schema = (await client.get("/api/docs/openapi.json")).json()
    assert {"200", "304"} <= set(schema["paths"]["/api/v1/menu"]["get"]["responses"])
    params = {p["name"] for p in schema["paths"]["/api/v1/menu/items"]["get"]["parameters"]}
    assert {"q", "tag", "allergen_free", "max_price", "category"} <= params


async def test_menu_api_gzip_and_plain_bodies_agree(client: AsyncTestClient[Any]) -> None:
    plain = await client.get("/api/v1/menu", headers={"Accept-Encoding": "identity"})
    zipped = await client.get("/api/v1/menu", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert plain.json() == zipped.json()
    for response in (plain, zipped):
        assert response.headers["content-type"] == "application/json"
        assert response.headers["vary"] == "Accept-Encoding"
    assert int(zipped.headers["content-length"]) < int(plain.headers["content-length"]) / 4
    # Two representations, two ETags; either one revalidates.
    assert plain.headers["etag"] != zipped.headers["etag"]
    for etag in (plain.headers["etag"], zipped.headers["etag"]):
        again = await client.get("/api/v1/menu", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.headers["etag"] in (plain.headers["etag"], zipped.headers["etag"])


async def test_menu_api_includes_the_restaurant_info(client: AsyncTestClient[Any]) -> None:
    """The info block as the file has it, and the week's hours for people. The test database
    serves the demo menu always open (tests/conftest.py), so the hours read so."""
    response = await client.get("/api/v1/menu")
    restaurant = response.json()["restaurant"]
    info = restaurant["info"]
    assert info["address"] == "182 Mulberry Street, New York, NY 10012"
    assert info["phone"] == "(212) 555-0142"
    assert info["timezone"] == "America/New_York"
    assert (info["pickup_minutes"], info["delivery_minutes"]) == (20, 40)
    assert info["delivery"]["fee"] == "3.99" and info["delivery"]["minimum"] == "15.00"
    assert info["hours"]["mon"] == [{"open": "00:00", "close": "24:00"}]
    assert restaurant["hours_text"] == "Open 24 hours, every day"
    again = await client.get("/api/v1/menu", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


async def test_the_page_answers_get_and_head(app_settings: Settings, tmp_path: Path) -> None:
    """The browser chat at /, and HEAD / for uptime checks and `curl -I` (was 405)."""
    (tmp_path / "index.html").write_text("<!doctype html><title>chat</title><div id=root></div>")
    settings = app_settings.model_copy(update={"frontend_dir": tmp_path})
    async with AsyncTestClient(app=create_app(settings)) as client:
        page = await client.get("/")
        assert page.status_code == 200 and "<div id=root>" in page.text
        for path in ("/", "/index.html"):
            got = await client.head(path)
            assert got.status_code == 200, (path, got.status_code)
            assert int(got.headers["content-length"]) == len(page.content)
            assert got.content == b""
        assert (await client.head("/")).headers["content-type"].startswith("text/html")
