"""Reading pages in another language: the footer's language form, as a person chooses it."""


def read_in(client, code: str) -> None:
    """Switch the client's session to the language `code` (the footer form's request)."""
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302
