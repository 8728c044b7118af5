"""Helpers for HTTP tests: sign in, read the CSRF token, submit forms, parse HTML."""

from __future__ import annotations

import httpx
from bs4 import BeautifulSoup

from tests.factories import PASSWORD


def soup(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def csrf_token(client: httpx.AsyncClient, path: str = "/login") -> str:
    page = await client.get(path)
    field = soup(page).find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"no CSRF field on {path}"
    return str(field["value"])


async def sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text


async def post_form(
    client: httpx.AsyncClient, path: str, data: dict[str, str], *, form_page: str = "/login"
) -> httpx.Response:
    token = await csrf_token(client, form_page)
    return await client.post(path, data={**data, "csrf_token": token})
