"""One error base, one precise code per failure, the HTTP status following from the code."""

import importlib
import pkgutil

import convergence
from convergence.core.errors import STATUS_BY_CODE, DomainError, ErrorCode


def _every_error_class() -> set[type]:
    for module in pkgutil.walk_packages(convergence.__path__, "convergence."):
        if ".migrations" not in module.name and not module.name.endswith(("settings", "settings_test", "wsgi", "asgi")):
            importlib.import_module(module.name)
    found, todo = set(), [DomainError]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.add(subclass)
            todo.append(subclass)
    return found


def test_every_domain_error_has_a_known_code_and_no_status_of_its_own():
    classes = _every_error_class()
    assert len(classes) > 20
    for cls in classes:
        assert cls.code in set(ErrorCode), cls
        assert "status" not in vars(cls), f"{cls.__name__} sets its own status; the code decides it"


def test_status_follows_from_the_code():
    from convergence.competitions.services import LimitReached, NotAllowed
    from convergence.review.errors import ReviewIncomplete, ReviewsLocked
    from convergence.review.solver import AssignmentInfeasible

    assert NotAllowed().status == 403 and LimitReached().status == 429
    assert ReviewIncomplete().status == 400 and ReviewsLocked().status == 409
    infeasible = AssignmentInfeasible(["Invitez un membre de plus."])
    assert (infeasible.status, infeasible.code, infeasible.details) == (
        409,
        "assignment_infeasible",
        {"reasons": ["Invitez un membre de plus."]},
    )
    assert DomainError("x", code=ErrorCode.CONFLICT_OF_INTEREST).status == 409
    assert set(STATUS_BY_CODE) <= set(ErrorCode)


def test_codes_are_unique():
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
