"""Home-page panels of the contracts app."""

from contracts.selectors import contract_list
from contracts.services.lifecycle import contract_status
from contracts.services.reminders import reminders_due


def contracts_panel(request) -> dict:
    """The manager's contracts, soonest-ending first."""
    contracts = list(contract_list(user=request.user).order_by("end_date")[:10])
    for contract in contracts:
        contract.shown_status = contract_status(contract)
    return {"contracts": contracts}


def reminders_panel(request) -> dict:
    """Contracts ending and certificates expiring soon."""
    return {"due": reminders_due()}
