import compression from 'compression';
import helmet from 'helmet';

export function installMiddleware(app) {
  app.use(helmet());
  app.use(compression());
}
