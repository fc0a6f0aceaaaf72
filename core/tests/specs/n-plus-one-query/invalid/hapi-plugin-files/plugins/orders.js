const { Order, Product } = require('../models');

exports.plugin = {
  name: 'orders',
  register(server) {
    server.route({
      method: 'GET',
      path: '/orders',
      handler: async (request) => {
        const orders = await Order.findAll();
        for (const order of orders) {
          order.product = await Product.findByPk(order.productId); // expect: n-plus-one-query
        }
        return orders;
      },
    });
  },
};
