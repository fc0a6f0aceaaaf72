// backlens-args: items:5000
const byLikes = (a, b) => b.likes - a.likes;

export function trending(posts) {
  const ranked = posts.slice().sort(byLikes).slice(0, 20); // expect: top-k-full-sort
  return ranked.map((p) => p.id);
}
