import { MAX_USERNAME_LENGTH, SOURCES, USERNAME_PATTERN } from '../../amazonmq/catalog';
import { PARTNER_SUFFIX } from '../../contract/rotation';
import { tokenOnly } from '../authentication-plan';
import { at, list } from './problem';
import { brokerRule, type BrokerRule, type BrokerRuleContext } from './rule';

/**
 * Rules on application credentials (alternating pairs of broker users) and on RabbitMQ's
 * administrator, the one user Amazon MQ creates with a RabbitMQ broker (SOURCES.cfnUser).
 */

const p = (ctx: BrokerRuleContext, ...rest: Array<string | number>) => at('brokers', ctx.index, ...rest);
const MAX_PAIRED_LENGTH = MAX_USERNAME_LENGTH - PARTNER_SUFFIX.length;

export const USER_RULES: readonly BrokerRule[] = [
  // RabbitMQ takes exactly one user at creation, its administrator; ActiveMQ has no such user.
  brokerRule('administrator', SOURCES.cfnUser, (b, ctx, report) => {
    const path = p(ctx, 'administrator');
    if (b.engine === 'ACTIVEMQ') {
      if (b.administrator !== undefined)
        report(
          path,
          b.administrator,
          'does not apply to ActiveMQ brokers (every ActiveMQ user is an application credential in users); allowed: remove the field',
        );
      return;
    }
    // An engine that did not parse is reported by the schema; its users are not judged here.
    if (b.engine !== 'RABBITMQ') return;
    if (b.administrator === undefined) {
      if (tokenOnly(b.authentication)) return; // IAM/OAuth 2.0 without internal users: no user at all (rule token-password-users)
      report(
        path,
        undefined,
        'is required for RabbitMQ brokers: the one user Amazon MQ creates with the broker, reserved for the platform (for a deployed broker, its existing user); allowed: { "username": "..." }',
      );
      return;
    }
    const name = b.administrator.username;
    if (!USERNAME_PATTERN.RABBITMQ.test(name)) {
      report(at(path, 'username'), name, 'is not a valid RABBITMQ username; allowed: 2 to 100 letters, digits, "-", "." and "_"');
    } else if (name.toLowerCase() === 'guest') {
      report(at(path, 'username'), name, 'is reserved by RabbitMQ; allowed: any other username');
    }
  }),

  // Each credential is the pair <username> / <username>_clone (Secrets Manager's alternating users).
  brokerRule('alternating-pair', SOURCES.rotationStrategy, (b, ctx, report) => {
    const admin = b.engine === 'RABBITMQ' ? b.administrator?.username : undefined;
    b.users.forEach((u, i) => {
      const path = p(ctx, 'users', i, 'username');
      if (u.username.endsWith(PARTNER_SUFFIX)) {
        report(
          path,
          u.username,
          `ends with "${PARTNER_SUFFIX}", the suffix of every credential's second user; allowed: a username without it`,
        );
      } else if (u.username.length > MAX_PAIRED_LENGTH && USERNAME_PATTERN[b.engine].test(u.username)) {
        report(
          path,
          u.username,
          `is ${u.username.length} characters, too long for its pair user "${u.username}${PARTNER_SUFFIX}"; allowed: 2 to ${MAX_PAIRED_LENGTH} characters`,
        );
      }
      if (admin !== undefined && (u.username === admin || `${u.username}${PARTNER_SUFFIX}` === admin)) {
        report(
          path,
          u.username,
          `is the administrator or its pair user is; allowed: a username other than "${admin}" (the administrator is reserved for the platform)`,
        );
      }
    });
  }),

  brokerRule('rabbitmq-only-user-fields', SOURCES.cfnUser, (b, ctx, report) => {
    if (b.engine !== 'ACTIVEMQ') return;
    b.users.forEach((u, i) => {
      if (u.tags !== undefined)
        report(p(ctx, 'users', i, 'tags'), u.tags, 'does not apply to ActiveMQ users (use groups); allowed: remove the field');
      if (u.permissions !== undefined)
        report(
          p(ctx, 'users', i, 'permissions'),
          u.permissions,
          'does not apply to ActiveMQ users (authorization is by groups); allowed: remove the field',
        );
    });
  }),

  // One permission per user and virtual host (RabbitMQ access control); the administrator tag is the platform's.
  brokerRule('rabbitmq-permissions', SOURCES.rabbitMqAccessControl, (b, ctx, report) => {
    if (b.engine !== 'RABBITMQ') return;
    b.users.forEach((u, i) => {
      const seen = new Set<string>();
      (u.permissions ?? []).forEach((perm, j) => {
        const path = p(ctx, 'users', i, 'permissions', j, 'vhost');
        if (perm.vhost.length === 0) report(path, perm.vhost, 'is empty; allowed: a virtual host name such as "/"');
        else if (seen.has(perm.vhost)) report(path, perm.vhost, 'is listed twice; allowed: one entry per virtual host');
        seen.add(perm.vhost);
      });
      (u.tags ?? []).forEach((tag, j) => {
        if (tag === 'administrator') {
          report(
            p(ctx, 'users', i, 'tags', j),
            tag,
            `is the administrator's tag, reserved for the platform; allowed: ${list(['management', 'policymaker', 'monitoring'])} or a tag of your own`,
          );
        }
      });
    });
  }),
];
