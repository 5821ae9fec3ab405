"""The GraphQL types, by area; `api.schema` puts them together under `Query` and `Mutation`.

- `properties`: `Source` and the typed reading of a node's properties, which every type uses;
- `paging`: connections, edges, cursors and `paginate` (the Relay convention);
- `laws`: `LawArticle`, a law or one article of it, and the legal bases a node cites;
- `entities`: the nodes of the graph (departments, units, posts, persons, holdings, functions, power
  items, stages, accountability records), which refer to each other and so live together;
- `reviews`: the ledger: reviews of findings, editions and their diff, and the `Mutation` that
  records a review;
- `findings`: what the analyses find (overlaps, clusters, gaps, split approvals), with their reviews;
- `traces`: who answered for each stage of a case, or of an item on a date; a case's findings with
  their reviews.

Each module imports only the ones above it in this list, so none of them imports another back.
"""
