const express = require('express');
const app = express();

app.post('/api/products/import', async (req, res) => {
  for (const row of req.body.rows) {
    await Product.create({ name: row.name, price: row.price }); // expect: n-plus-one-query
  }
  res.sendStatus(201);
});
