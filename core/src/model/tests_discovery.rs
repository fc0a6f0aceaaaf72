//! Route discovery on real-world shapes: handlers made by calls, routing helpers, socket.io
//! events, Next.js files, plugins in their own files.

use super::tests::{accesses, routes};

#[test]
fn handlers_returned_by_calls_through_wrappers_and_factories() {
    let app = r#"
const express = require('express');
const asyncHandler = require('express-async-handler');
const makeController = require('./controller');
const { catchAsync } = require('./wrap');
const app = express();
function listOrders() {
  return async function list(req, res) { res.json(await Order.findAll()); };
}
const showOrder = () => catchAsync(async function show(req, res) { res.json(await Order.findByPk(req.params.id)); });
const ctrl = makeController(db);
app.get('/orders', asyncHandler(listOrders()));
app.get('/orders/:id', showOrder());
app.get('/users', ctrl.list);
app.post('/users', catchAsync(ctrl.create));
app.use('/admin', require('./admin')(db));
"#;
    let controller = r#"
module.exports = (db) => ({
  list: async (req, res) => res.json(await db.users.findMany()),
  async create(req, res) { res.json(await db.users.create({ data: req.body })); },
});
"#;
    let wrap = "exports.catchAsync = (fn) => (req, res, next) => fn(req, res, next).catch(next);\n";
    let admin = r#"
const { Router } = require('express');
module.exports = function adminRouter(db) {
  const router = Router();
  router.get('/stats', async function stats(req, res) { res.json(await db.stats.findMany()); });
  return router;
};
"#;
    assert_eq!(
        routes(&[("app.js", app), ("controller.js", controller), ("wrap.js", wrap), ("admin.js", admin)]),
        [
            "express GET /admin/stats -> stats",
            "express GET /orders -> list",
            "express GET /orders/:id -> show",
            "express GET /users -> list",
            "express POST /users -> create",
        ]
    );
}

#[test]
fn controller_classes_instantiated_with_deps_and_inherited_methods() {
    let src = r#"
const router = require('express').Router();
class BaseController {
  async list(req, res) { res.json(await this.model.findAll()); }
}
class UsersController extends BaseController {
  constructor(model) { super(); this.model = model; }
  async show(req, res) { res.json(await this.model.findByPk(req.params.id)); }
}
const users = new UsersController(User);
router.get('/users', users.list.bind(users));
router.get('/users/:id', (req, res) => users.show(req, res));
module.exports = router;
"#;
    assert_eq!(
        routes(&[("users.js", src)]),
        ["express GET /users -> BaseController.list", "express GET /users/:id -> <anonymous>"]
    );
}

#[test]
fn socket_io_events_are_endpoints_with_namespaces_and_handler_maps() {
    let server = r#"
const { Server } = require('socket.io');
const registerOrderHandlers = require('./orders');
const io = new Server(httpServer);
const handlers = { 'chat:message': onMessage, 'chat:typing': (payload) => {} };
async function onMessage(msg) { await Message.create(msg); }
io.on('connection', (socket) => {
  socket.on('join', async (room) => { await Room.findByPk(room); });
  socket.on('error', (e) => {});
  Object.entries(handlers).forEach(([event, handler]) => socket.on(event, handler));
  registerOrderHandlers(io, socket);
});
const admin = io.of('/admin');
admin.on('connection', (client) => { client.on('ban', async (id) => { await User.destroy({ where: { id } }); }); });
"#;
    let orders = r#"
module.exports = (io, socket) => {
  const createOrder = async (payload) => { await Order.create(payload); };
  socket.on('order:create', createOrder);
};
"#;
    assert_eq!(
        routes(&[("server.js", server), ("orders.js", orders)]),
        [
            "socket.io EVENT /admin ban -> <anonymous>",
            "socket.io EVENT chat:message -> onMessage",
            "socket.io EVENT chat:typing -> chat:typing",
            "socket.io EVENT join -> <anonymous>",
            "socket.io EVENT order:create -> createOrder",
        ]
    );
    let reached = accesses(&[("server.js", server), ("orders.js", orders)]);
    assert!(reached.iter().any(|a| a.contains("orders.js:3") && a.contains("[EVENT order:create]")), "{reached:?}");
}

#[test]
fn socket_events_need_socket_io_and_class_handlers_resolve() {
    let client = r#"
class Connection {
  constructor(socket) { this.socket = socket; }
  register() {
    this.socket.on('refresh', this.refresh.bind(this));
    this.socket.on('disconnect', this.leave.bind(this));
  }
  async refresh() { await Note.findAll(); }
  leave() {}
}
module.exports = Connection;
"#;
    // Without socket.io in the program, a `socket.on` registers nothing; nor does a client.
    assert!(routes(&[("connection.js", client)]).is_empty());
    let browser =
        "import { io } from 'socket.io-client';\nconst socket = io();\nsocket.on('documents.update', (e) => {});\n";
    let server = "const io = require('socket.io')(server);\n";
    assert!(routes(&[("app/provider.js", browser), ("server.js", server)]).is_empty());
    let app = "const io = require('socket.io')(server);\nio.sockets.on('connection', (socket) => new Connection(socket).register());\n";
    assert_eq!(
        routes(&[("connection.js", client), ("app.js", app)]),
        ["socket.io EVENT disconnect -> Connection.leave", "socket.io EVENT refresh -> Connection.refresh"]
    );
}

#[test]
fn nextjs_route_handlers_api_routes_and_server_actions() {
    let users = r#"
import { prisma } from '@/lib/prisma';
export async function GET(request) { return Response.json(await prisma.user.findMany()); }
const create = async (request) => Response.json(await prisma.user.create({ data: await request.json() }));
export const POST = withAuth(create);
export const dynamic = 'force-dynamic';
"#;
    let user = "async function handler(req, { params }) {}\nexport { handler as GET, handler as DELETE };\n";
    let pages = r#"
export default async function handler(req, res) {
  switch (req.method) {
    case 'GET': return res.json(await prisma.post.findMany());
    case 'POST': return res.json(await prisma.post.create({ data: req.body }));
  }
}
"#;
    let health = "export default function health(req, res) { res.status(200).end(); }\n";
    let actions = r#"'use server';
export async function createPost(form) { await prisma.post.create({ data: { title: form.get('title') } }); }
export const deletePost = async (id) => { await prisma.post.delete({ where: { id } }); };
export function helper() {}
"#;
    let page = r#"
export default function Page() {
  async function like(id) { 'use server'; await prisma.like.create({ data: { id } }); }
  return null;
}
"#;
    assert_eq!(
        routes(&[
            ("src/app/api/users/route.ts", users),
            ("src/app/(admin)/api/users/[id]/route.ts", user),
            ("pages/api/posts/index.ts", pages),
            ("pages/api/health.ts", health),
            ("src/app/actions.ts", actions),
            ("src/app/posts/page.tsx", page),
            ("src/app/_lib/route.ts", "export function GET() {}\n"),
        ]),
        [
            "nextjs ACTION createPost -> createPost",
            "nextjs ACTION deletePost -> deletePost",
            "nextjs ACTION like -> like",
            "nextjs ALL /api/health -> health",
            "nextjs DELETE /api/users/:id -> handler",
            "nextjs GET /api/posts -> handler",
            "nextjs GET /api/users -> GET",
            "nextjs GET /api/users/:id -> handler",
            "nextjs POST /api/posts -> handler",
            "nextjs POST /api/users -> create",
        ]
    );
}

#[test]
fn routing_helpers_register_their_arguments() {
    let helper = r#"
function registerRoute(router, method, path, middlewares, handler) {
  router[method](path, ...middlewares, handler);
}
module.exports = { registerRoute };
"#;
    let app = r#"
const express = require('express');
const { registerRoute } = require('./lib/register');
const controllers = require('./controllers');
const app = express();
const router = express.Router();
registerRoute(router, 'get', '/users', [auth], controllers.listUsers);
registerRoute(router, 'post', '/users', [], async function createUser(req, res) {});
const route = (method, path, ...handlers) => router[method](`/v2${path}`, ...handlers);
route('get', '/items', auth, controllers.listItems);
app.use('/api', router);
"#;
    let controllers =
        "exports.listUsers = async (req, res) => {};\nexports.listItems = async function listItems(req, res) {};\n";
    assert_eq!(
        routes(&[("lib/register.js", helper), ("app.js", app), ("controllers.js", controllers)]),
        [
            "express GET /api/users -> listUsers",
            "express GET /api/v2/items -> listItems",
            "express POST /api/users -> createUser",
        ]
    );
}

#[test]
fn parse_server_style_promise_router_routes() {
    let router = r#"
import PromiseRouter from '../PromiseRouter';
export class UsersRouter extends PromiseRouter {
  async handleFind(req) { return rest.find(req.config, req.auth, '_User', req.body.where); }
  mountRoutes() {
    this.route('GET', '/users', (req) => this.handleFind(req));
    this.route('POST', '/users', promiseEnsureIdempotency, (req) => this.handleCreate(req));
  }
}
"#;
    let base = "export default class PromiseRouter {\n  route(method, path, ...handlers) { this.routes.push({ path, method, handler: handlers[0] }); }\n}\n";
    let client = "request('GET', '/users', (err, res) => {});\n";
    assert_eq!(
        routes(&[("Routers/UsersRouter.js", router), ("PromiseRouter.js", base), ("client.js", client)]),
        ["express GET /users -> <anonymous>", "express POST /users -> <anonymous>"]
    );
}

#[test]
fn koa_router_paths_without_a_leading_slash_join_their_prefix() {
    let src = r#"
const Router = require('koa-router');
const api = new Router({ prefix: '/api' });
const router = new Router();
router.post('documents.list', auth(), async (ctx) => {});
api.use('/', router.routes());
"#;
    assert_eq!(routes(&[("api.js", src)]), ["koa POST /api/documents.list -> <anonymous>"]);
}

#[test]
fn hapi_plugins_in_their_own_files_take_the_registration_prefix() {
    let server = r#"
const Hapi = require('@hapi/hapi');
const init = async () => {
  const server = Hapi.server({ port: 3000 });
  await server.register([
    require('./plugins/status'),
    { plugin: require('./plugins/users'), routes: { prefix: '/api' } },
  ]);
  await server.register({ plugin: require('./plugins/legacy'), routes: { prefix: '/v1' } });
  await server.start();
};
init();
"#;
    let status = "exports.plugin = {\n  name: 'status',\n  register(server, options) {\n    server.route({ method: 'GET', path: '/status', handler: (request, h) => 'ok' });\n  },\n};\n";
    let users = "const listUsers = async (request, h) => User.findAll();\nmodule.exports = { plugin: { name: 'users', register: async (server) => { server.route({ method: 'GET', path: '/users', handler: listUsers }); } } };\n";
    let legacy = "exports.register = function (server, options, next) {\n  server.route({ method: 'GET', path: '/items', handler: function items(request, reply) {} });\n  next();\n};\nexports.register.attributes = { name: 'legacy' };\n";
    assert_eq!(
        routes(&[
            ("server.js", server),
            ("plugins/status.js", status),
            ("plugins/users.js", users),
            ("plugins/legacy.js", legacy),
        ]),
        ["hapi GET /api/users -> listUsers", "hapi GET /status -> handler", "hapi GET /v1/items -> handler"]
    );
}

#[test]
fn hapi_route_tables_mapped_by_a_helper_and_registered_per_entry() {
    let server = "const Hapi = require('hapi');\nconst routes = require('./routes');\nconst server = new Hapi.Server();\nroutes.map((route) => server.route(route));\n";
    let all = "const polls = require('./modules/poll/routes');\nmodule.exports = [...polls];\n";
    let polls = "const { createRoutes } = require('../../create-route');\nconst base = '/polls/{id}';\nconst handlers = './handlers';\nconst routes = [{ method: 'POST', url: `${base}/vote`, handler: require('./handlers/vote') }];\nconst more = [{ method: 'GET', url: '/polls', handler: require(`${handlers}/vote`) }];\nmodule.exports = createRoutes([...routes, ...more]);\n";
    let helper = "exports.createRoutes = (routes) => routes.map((r) => ({ method: r.method, path: r.url, handler: r.handler }));\n";
    let vote = "module.exports = async (req, reply) => { reply(await Vote.create(req.payload)); };\n";
    let found = routes(&[
        ("server.js", server),
        ("routes.js", all),
        ("modules/poll/routes.js", polls),
        ("create-route.js", helper),
        ("modules/poll/handlers/vote.js", vote),
    ]);
    assert_eq!(found, ["hapi GET /polls -> default", "hapi POST /polls/{id}/vote -> default"]);
}

#[test]
fn fastify_plugins_imported_dynamically_and_autoloaded_with_auto_prefix() {
    let app = r#"
import Fastify from 'fastify';
import autoload from '@fastify/autoload';
const app = Fastify();
app.register(import('./plugins/health.js'), { prefix: '/health' });
app.register(autoload, { dir: path.join(__dirname, 'routes'), options: { prefix: '/api' } });
"#;
    let health = "export default async function (fastify) { fastify.get('/', async () => ({ ok: true })); }\n";
    let user = "module.exports = async function (fastify) { fastify.get('/', async function show(request) {}); };\n";
    let batch = "module.exports = async function (fastify) { fastify.post('/run', async function run() {}); };\nmodule.exports.autoPrefix = '/batch';\n";
    assert_eq!(
        routes(&[
            ("app.js", app),
            ("plugins/health.js", health),
            ("routes/users/_id/index.js", user),
            ("routes/jobs/batch.js", batch),
        ]),
        [
            "fastify GET /api/users/:id -> show",
            "fastify GET /health -> <anonymous>",
            "fastify POST /api/batch/run -> run",
        ]
    );
}

#[test]
fn nestjs_gateway_messages_are_events() {
    let src = r#"
import { WebSocketGateway, SubscribeMessage, MessageBody } from '@nestjs/websockets';
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway {
  @SubscribeMessage('message') async onMessage(@MessageBody() body) { return this.messages.save(body); }
  helper() {}
}
"#;
    assert_eq!(routes(&[("chat.gateway.ts", src)]), ["socket.io EVENT /chat message -> ChatGateway.onMessage"]);
}
