-- The fidelity database: 50 users, one post each (a ≈4 KB body), three small tables to count.
DROP TABLE IF EXISTS comments;
DROP TABLE IF EXISTS posts;
DROP TABLE IF EXISTS users;
CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL);
CREATE TABLE posts (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users(id), title text NOT NULL, body text NOT NULL);
CREATE INDEX posts_user_id ON posts(user_id);
CREATE TABLE comments (id serial PRIMARY KEY, post_id int NOT NULL REFERENCES posts(id), body text NOT NULL);
INSERT INTO users (name, email) SELECT 'user ' || i, 'user' || i || '@example.com' FROM generate_series(1, 50) i;
INSERT INTO posts (user_id, title, body)
  SELECT i, 'Post number ' || i, repeat('Lorem ipsum dolor sit amet, consectetur adipiscing elit. ', 70) FROM generate_series(1, 50) i;
INSERT INTO comments (post_id, body) SELECT 1 + (i % 50), 'comment ' || i FROM generate_series(1, 200) i;
ANALYZE users;
ANALYZE posts;
ANALYZE comments;
