export const BIN = 'mq-platform';

const GLOBAL = `Global options:
  -e, --env <name>       environment (e.g. dev); filters brokers by tag and resolves
                         short names (orders -> orders-dev); region from config/*.json
      --region <region>  AWS region (default: AWS_REGION or the profile's region)
      --profile <name>   AWS shared-config profile (default: AWS_PROFILE)
      --json             machine-readable output on stdout
      --debug            print stack traces on errors
  -h, --help             show help`;

const EXITS = `Exit codes: 0 ok, 1 check failed or unexpected error, 2 usage, 3 not found,
            4 credentials/access/auth, 5 timeout/network/TLS`;

export const HELP: Record<string, string> = {
  main: `Usage: ${BIN} <command> [options]

Find mq-platform brokers, get their connection settings, prove a message round trip.

Commands:
  list                    brokers of an environment (or of the account and region)
  endpoints <broker>      endpoints of every protocol and the console URL
  connect-info <broker>   ready connection settings for amqplib, STOMP and JMS
  check <broker>          publish, consume and ack a tagged message; print the latency
  drift [<broker>]        compare a RabbitMQ broker's live definitions with the config
  promote                 promote the CRDR replica of an ActiveMQ broker (--env, --broker, --mode)

<broker> is a broker id, a broker name (orders-dev), or a config name with --env (orders).
Run '${BIN} <command> --help' for the options of a command.

${GLOBAL}

${EXITS}`,
  list: `Usage: ${BIN} list [--env <name>] [options]

Lists brokers with engine, deployment mode and state. With --env, only the brokers
tagged mq-platform:environment=<name>.

${GLOBAL}

${EXITS}`,
  endpoints: `Usage: ${BIN} endpoints <broker> [options]

Prints every protocol endpoint of every broker instance, and the console URL(s).

${GLOBAL}

${EXITS}`,
  'connect-info': `Usage: ${BIN} connect-info <broker> [--user <name>] [--show-secret] [options]

Prints connection settings: an amqps:// URL for amqplib (RabbitMQ); STOMP-over-TLS
options and a failover:(ssl://...) brokerURL for Java JMS/OpenWire (ActiveMQ).
Credentials come from the secret mq-platform/<env>/<broker>/<user>. A RabbitMQ broker with IAM
or OAuth 2.0 authentication has no password: connect-info says how to get its token instead.

Options:
  -u, --user <name>      broker user (default: the broker's only user)
      --show-secret      print the password instead of ********

${GLOBAL}

${EXITS}`,
  check: `Usage: ${BIN} check <broker> [options]

Publishes a uniquely tagged persistent message to a temporary queue, consumes it with a
manual ack and prints the latency. For active/standby ActiveMQ, reports which instance
answered. Uses AMQPS (RabbitMQ) or STOMP over TLS (ActiveMQ).

Options:
  -u, --user <name>            broker user (default: the broker's only user)
      --endpoint <url>         connect here instead of the broker's endpoints; repeat for
                               failover order (amqps://host:5671, stomp+ssl://host:61614).
                               The engine follows the scheme; <broker> is then a label.
      --ca-file <path>         extra CA certificate (PEM), e.g. for a local test broker
      --secret-json-file <p>   credentials from a file {"username": "...", "password": "..."}
                               (else MQ_PLATFORM_USERNAME/MQ_PLATFORM_PASSWORD, else Secrets Manager)
                               IAM brokers: a token from STS GetWebIdentityToken with your AWS
                               credentials; OAuth 2.0 brokers: MQ_PLATFORM_TOKEN, or the client-
                               credentials flow with MQ_PLATFORM_TOKEN_ENDPOINT, MQ_PLATFORM_CLIENT_ID
                               and MQ_PLATFORM_CLIENT_SECRET; with --endpoint, MQ_PLATFORM_TOKEN
      --timeout <ms>           time allowed for the round trip (default 15000)

${GLOBAL}

${EXITS}`,
  drift: `Usage: ${BIN} drift --env <name> [<broker>] [options]

Compares the live RabbitMQ definitions (vhosts, exchanges, queues, bindings, policies,
vhost limits) and application users (both users of each pair: tags, vhost permissions)
of the environment's brokers with config/<name>.json and prints every
difference: + declared but missing, ~ differs, - on the broker but not declared (in the
declared vhosts; the broker's amq.* exchanges and Amazon MQ's AWS-DEFAULT policies and
"/" limits excepted). It asks the environment's credential rotation function
(mq-platform-<name>-credential-rotation, lambda:InvokeFunction), which runs in the brokers'
subnets and alone may read the administrator's secret; the function only reads.

Options:
      --config <file>          the config file (default: config/<name>.json)
      --management-url <url>   read this management API yourself instead (one broker; a
                               tunnel or a local broker), as the administrator from
      --secret-json-file <p>   {"username": "...", "password": "..."} (or
                               MQ_PLATFORM_USERNAME/MQ_PLATFORM_PASSWORD)

${GLOBAL}

Exit codes: 0 no drift, 1 drift found, 2 error (config, credentials, network, usage)`,
  promote: `Usage: ${BIN} promote --env <name> --broker <name> --mode switchover|failover [options]

Promotes the cross-Region data replication (CRDR) replica of an ActiveMQ broker
(brokers[].replica in config/<env>.json) with the Amazon MQ Promote API, waits until the
roles have swapped (progress on stderr), and prints what clients change: endpoints, the
OpenWire failover brokerURL covering both Regions, the secrets to read.

  switchover   consistent: both brokers hold the same state when it completes; needs both
               Regions and the network between them; neither accepts clients meanwhile
  failover     available at once, even with the primary Region down; what was not
               replicated yet may be missing on the new primary

Options:
  -b, --broker <name>    the broker's short name (brokers[].name)
      --mode <mode>      switchover or failover
      --timeout <ms>     how long to wait for the roles to swap (default 1800000)

${GLOBAL}

${EXITS}`,
};
