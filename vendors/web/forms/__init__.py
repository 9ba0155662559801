"""HTML forms of the vendors app: they parse input into the domain functions' shapes.

The rules live in `vendors.services.profiles`, `vendors.services.events` and
`vendors.services.proposals`; a form only checks types (a number is a number) and shows
the domain's ValidationError on the right field and the right row (`errors.show_domain_errors`).
"""
