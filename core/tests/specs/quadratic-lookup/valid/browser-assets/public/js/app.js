// Browser code served by express.static: the page's own script, not the backend.
async function renderTags() {
  const [articles, tags] = await Promise.all([fetch('/articles').then(r => r.json()), fetch('/tags').then(r => r.json())]);
  articles.forEach(function (article) {
    article.tagNames = article.tagIds.map(id => tags.find(t => t.id === id).name);
  });
  return articles;
}
window.addEventListener('load', renderTags);
