"""Schemathesis over ``/api/openapi.json``: every operation, every check, positive and
negative examples, in-process through ASGI. Fails on any 5xx and on any answer (status,
headers, content type, body) that the document does not describe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi
from starlette.applications import Starlette

from events.app import create_app
from events.settings import Settings
from tests.fuzz.conftest import EXAMPLES


@pytest.fixture
def api(seeded: tuple[Settings, dict[str, object]]) -> Iterator[tuple[Starlette, str]]:
    fuzz_settings, rows = seeded
    app = create_app(fuzz_settings)
    yield app, str(rows["slug"])
    asgi.shutdown_lifespans()


# A sign-up the schema allows may still break a rule the schema cannot say (too young
# for every group, a guardian needed, an address already used): 422 is a valid answer.
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-operation-id": "signUp",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "404", "409", "422", "429"]
                    }
                },
            }
        ]
    }
)


def _operations(app: Starlette) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=CONFIG)
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_conforms_to_the_document(api: tuple[Starlette, str]) -> None:
    app, slug = api
    operations = _operations(app)
    assert len(operations) >= 3
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, slug)
            except Unsatisfiable:
                # No negative example exists for some operations (a path slug of any text
                # is valid): nothing to try there.
                assert mode == GenerationMode.NEGATIVE, operation.label
            except Exception as exc:  # collect every operation's failure, then fail once
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)


def _fuzz(operation: schemathesis.APIOperation, mode: GenerationMode, slug: str) -> None:
    @given(case=operation.as_strategy(generation_mode=mode), real_slug=st.booleans())
    @settings(
        max_examples=int(EXAMPLES * 2.5),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: schemathesis.Case, real_slug: bool) -> None:
        if real_slug and case.path_parameters and "slug" in case.path_parameters:
            case.path_parameters["slug"] = slug
        response = case.call()
        case.validate_response(response)

    run()
