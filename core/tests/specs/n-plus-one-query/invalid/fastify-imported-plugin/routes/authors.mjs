import pg from 'pg';

const pool = new pg.Pool();

export default async function authors(fastify) {
  fastify.get('/', async () => {
    const { rows: authors } = await pool.query('SELECT * FROM authors');
    for (const author of authors) {
      const { rows } = await pool.query('SELECT * FROM books WHERE author_id = $1', [author.id]); // expect: n-plus-one-query
      author.books = rows;
    }
    return authors;
  });
}
