module.exports = {
  setup: function (manager) {
    return function (request, reply, method) {
      manager[method](request)
        .then(data => reply({ statusCode: 200, data }).code(200))
        .catch(error => reply({ statusCode: 500, error }).code(500));
    };
  },
};
