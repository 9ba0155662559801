"""Pages of the vendors app: vendor profiles, sourcing events, the vendor portal, ratings.

Views only translate: who sees which row comes from `vendors.selectors`, what a page may show
of a bid too, and every write is a domain function.
"""
