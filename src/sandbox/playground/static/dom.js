// One helper to build elements: attributes as given (true → present, false/undefined → absent),
// children as nodes or text. Text never goes through innerHTML.

export function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== false && value !== undefined) node.setAttribute(name, value === true ? '' : value);
  node.append(...children);
  return node;
}
