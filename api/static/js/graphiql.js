// Starts GraphiQL on the page at GET /graphql (graphiql.html) from the UMD builds vendored beside it
// (React, ReactDOM and GraphiQL as globals). Queries go to this page's own URL; the headers editor is
// open for an `Authorization: Bearer <令牌>` header, which GraphiQL does not persist: like the views'
// token, it is gone when the tab closes. The query and variables are kept in the URL so that a link
// shares them (`q`, not `query`: a GET of /graphql with `query` runs it).

const EXAMPLE_QUERY = `# 权责清单公示 · GraphQL 接口
#
# 在此编写查询，按 Ctrl-Enter（或运行按钮）执行，结果显示在右侧。
# 按 Ctrl-Space 补全字段；左侧栏的文档按钮（Docs）列出全部类型和字段的说明。
# 办件追溯、编制情况等需要令牌：在下方“Headers”中填写
#   {"Authorization": "Bearer <令牌>"}
#
# 示例：前 5 项权力事项，及其编码、名称、权力类型和实施部门
{
  powerItems(first: 5) {
    totalCount
    edges {
      node {
        code
        name
        powerType
        departments {
          name
        }
      }
    }
  }
}
`;

const parameters = new URLSearchParams(location.search);

function keepInURL(name, value) {
  if (value) parameters.set(name, value);
  else parameters.delete(name);
  const search = parameters.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

const fetcher = GraphiQL.createFetcher({ url: location.href.split("?")[0] });

function QuanzeGraphiQL() {
  return React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: EXAMPLE_QUERY,
    query: parameters.get("q") || undefined,
    variables: parameters.get("variables") || undefined,
    onEditQuery: (query) => keepInURL("q", query),
    onEditVariables: (variables) => keepInURL("variables", variables),
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    inputValueDeprecation: true,
  });
}

ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(QuanzeGraphiQL));
