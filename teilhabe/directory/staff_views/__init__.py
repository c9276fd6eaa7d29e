"""Staff pages of the directory under /staff/angebote/, one module per concept (URLs in ``staff_urls``).

Lists start from visible_to(user); single objects come through the access helpers, which answer 404 outside
the user's scope.
"""
