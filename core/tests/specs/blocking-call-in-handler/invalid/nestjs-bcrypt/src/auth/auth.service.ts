import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';

@Injectable()
export class AuthService {
  private readonly users = new Map<string, string>();

  register(email: string, password: string): { email: string } {
    const hash: string = bcrypt.hashSync(password, 12); // expect: blocking-call-in-handler
    this.users.set(email, hash);
    return { email };
  }
}
