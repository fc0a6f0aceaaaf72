// The seed's section 5.3, AFTER (batched into 1 query).
class BatchLoader {
  constructor(loadFn, delay = 10) {
    this.loadFn = loadFn;
    this.delay = delay;
    this.queue = [];
    this.timer = null;
  }

  load(key) {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, resolve, reject });

      if (!this.timer) {
        this.timer = setTimeout(() => this.flush(), this.delay);
      }
    });
  }

  async flush() {
    const queue = this.queue;
    this.queue = [];
    this.timer = null;

    try {
      const keys = queue.map(item => item.key);
      const results = await this.loadFn(keys);

      queue.forEach((item, index) => {
        item.resolve(results[index]);
      });
    } catch (error) {
      queue.forEach(item => item.reject(error));
    }
  }
}

const userLoader = new BatchLoader(async (userIds) => {
  // Single query for all user IDs
  const users = await User.findAll({
    where: { id: { $in: userIds } }
  });

  // Return in same order as requested
  return userIds.map(id => users.find(u => u.id === id));
});

app.get('/api/feed', async (req, res) => {
  const posts = await Post.findAll({ limit: 50 });

  await Promise.all(
    posts.map(async (post) => {
      post.author = await userLoader.load(post.userId); // Batched
    })
  );

  res.json(posts);
});
