app.post('/api/transfer', async (req, res) => {
  await sequelize.transaction(async (t) => {
    const from = await Account.findByPk(req.body.from, { transaction: t, lock: true });
    const to = await Account.findByPk(req.body.to, { transaction: t, lock: true });
    from.balance -= req.body.amount;
    to.balance += req.body.amount;
  });
  res.sendStatus(204);
});

app.post('/api/orders', async (req, res) => {
  const result = await prisma.$transaction(async (tx) => {
    const stock = await tx.stock.findUnique({ where: { sku: req.body.sku } });
    const price = await tx.price.findUnique({ where: { sku: req.body.sku } });
    return { stock, price };
  });
  const rows = await knex.transaction(async (trx) => {
    const a = await trx('a').where({ id: 1 });
    const b = await trx('b').where({ id: 2 });
    return [a, b];
  });
  res.json({ result, rows });
});

app.post('/api/pg', async (req, res) => {
  const client = await pool.connect();
  await client.query('BEGIN');
  const a = await client.query('SELECT * FROM a WHERE id = $1 FOR UPDATE', [req.body.a]);
  const b = await client.query('SELECT * FROM b WHERE id = $1 FOR UPDATE', [req.body.b]);
  await client.query('COMMIT');
  client.release();
  res.json({ a: a.rows, b: b.rows });
});

app.post('/api/typeorm', async (req, res) => {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.startTransaction();
  const users = await queryRunner.manager.find(User);
  const roles = await queryRunner.manager.find(Role);
  await queryRunner.commitTransaction();
  res.json({ users, roles });
});
