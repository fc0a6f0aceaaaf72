import Koa from "koa";
import documents from "./routes/documents";

const app = new Koa();
app.use(documents.routes());
app.listen(3000);
