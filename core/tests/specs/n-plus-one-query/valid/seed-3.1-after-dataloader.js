// The seed's section 3.1, AFTER (DataLoader).
const DataLoader = require('dataloader');

// Batch load posts by user IDs
const postLoader = new DataLoader(async (userIds) => {
  const posts = await Post.findAll({
    where: { userId: { $in: userIds } }
  });

  // Group posts by userId
  const postsByUserId = {};
  posts.forEach(post => {
    if (!postsByUserId[post.userId]) {
      postsByUserId[post.userId] = [];
    }
    postsByUserId[post.userId].push(post);
  });

  // Return posts in same order as userIds
  return userIds.map(id => postsByUserId[id] || []);
});

// Usage
app.get('/api/users', async (req, res) => {
  const users = await User.findAll();

  // Load posts in batch
  await Promise.all(
    users.map(async (user) => {
      user.posts = await postLoader.load(user.id);
    })
  );

  res.json(users);
});
// Total: 2 queries (users + batched posts)
