/**
 * Services that answer anyone who reaches them unless they are set up otherwise: no password,
 * no client certificate by default. Opened to every source in INPUT, each is a known way into
 * a host (exposed-service).
 */
export interface ExposedService {
  protocol: 'tcp' | 'udp';
  port: number;
  name: string;
  /** What whoever reaches it can do, one sentence of our words. */
  risk: string;
}

export const exposedServices: readonly ExposedService[] = [
  { protocol: 'tcp', port: 2375, name: 'the Docker daemon\'s API without TLS', risk: 'whoever reaches it starts containers as root on the host.' },
  { protocol: 'tcp', port: 2379, name: 'etcd\'s client API', risk: 'without client certificates it hands out everything it keeps, a Kubernetes cluster\'s secrets included.' },
  { protocol: 'tcp', port: 10250, name: 'the kubelet\'s API', risk: 'with anonymous access allowed it runs commands in the node\'s pods.' },
  { protocol: 'tcp', port: 6379, name: 'Redis', risk: 'it answers without a password unless one is set, and can be made to write files on the host.' },
  { protocol: 'tcp', port: 27017, name: 'MongoDB', risk: 'many installations answer without authentication.' },
  { protocol: 'tcp', port: 9200, name: 'Elasticsearch', risk: 'before 8.0 its security was off by default: anyone reads and deletes the indices.' },
  { protocol: 'tcp', port: 11211, name: 'memcached', risk: 'it has no authentication: anyone reads and writes the cache.' },
  { protocol: 'udp', port: 11211, name: 'memcached over UDP', risk: 'it has no authentication, and its answers, many times larger than the questions, are used to flood others.' },
];
