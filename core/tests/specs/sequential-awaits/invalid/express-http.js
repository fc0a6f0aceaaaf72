const express = require('express');
const axios = require('axios');

const app = express();

app.get('/api/dashboard/:id', async (req, res) => {
  const profile = await axios.get(`${USERS_API}/users/${req.params.id}`); // expect: sequential-awaits
  const orders = await fetch(`${ORDERS_API}/orders?user=${req.params.id}`);
  const body = await orders.json();
  const recommendations = await axios.get(`${RECS_API}/for/${profile.data.segment}`);
  res.json({ profile: profile.data, orders: body, recommendations: recommendations.data });
});

app.listen(3000);
