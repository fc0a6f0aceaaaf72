// From lujakob/nestjs-realworld-example-app: `app.setGlobalPrefix('api')` puts every
// controller's routes under /api.
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(3000);
}
bootstrap();
