/**
 * The object admission sees, from the object a file holds. The API server decodes a request into its typed
 * object and applies the registered defaults before the admission webhooks (Gatekeeper) run; a policy that
 * judges a field the server fills in or removes must see the same. Only the defaults a Bulwark policy
 * depends on are applied (docs/policies.md, "What check sees"):
 *
 * - `null` means absent: a typed decode turns `field: null` into the zero value, which is omitted when the
 *   object is re-encoded for the webhook (and structural CRD schemas prune it), so nulls are dropped.
 * - Pods (not pod templates): limits copied into absent requests, per resource, for containers and
 *   initContainers (container-resources), and for `hostNetwork: true` pods every container port's
 *   `hostPort` defaults to its `containerPort` (pss-host-ports). Source: kubernetes/kubernetes
 *   pkg/apis/core/v1/defaults.go, `SetDefaults_Pod` ("we only want this defaulting semantic to take place
 *   on a v1.Pod and not a v1.PodTemplate"), `defaultHostNetworkPorts`.
 */

type Json = Record<string, unknown>;

const isMapping = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * `value` without mapping entries whose value is null (at any depth): a copy of what holds a null, `value`
 * itself (never changed) where nothing does, so the common case costs a walk and no allocation.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const pruned = dropNulls(item);
      if (pruned !== item) out ??= value.slice(0, i);
      out?.push(pruned);
    }
    return out ?? value;
  }
  if (!isMapping(value)) return value;
  let out: Json | undefined;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const entry = value[key];
    if (entry === null) {
      out ??= copyBefore(value, key);
      continue;
    }
    const pruned = dropNulls(entry);
    if (pruned !== entry) out ??= copyBefore(value, key);
    if (out !== undefined) out[key] = pruned;
  }
  return out ?? value;
}

/** The entries of `value` before `stop` (insertion order), as a new mapping. */
function copyBefore(value: Json, stop: string): Json {
  const out: Json = {};
  for (const key of Object.keys(value)) {
    if (key === stop) break;
    out[key] = value[key];
  }
  return out;
}

/** `SetDefaults_Pod`'s loop: each limit without a request becomes the request. */
function defaultRequestsFromLimits(container: Json): Json {
  const resources = isMapping(container.resources) ? container.resources : undefined;
  if (!resources || !isMapping(resources.limits)) return container;
  const requests = isMapping(resources.requests) ? resources.requests : {};
  return { ...container, resources: { ...resources, requests: { ...resources.limits, ...requests } } };
}

/** `defaultHostNetworkPorts`: with the host's network, a container port is a host port. */
function defaultHostPorts(container: Json): Json {
  if (!Array.isArray(container.ports)) return container;
  const ports = container.ports.map((port: unknown) =>
    isMapping(port) && (port.hostPort === undefined || port.hostPort === 0) && port.containerPort !== undefined
      ? { ...port, hostPort: port.containerPort }
      : port,
  );
  return { ...container, ports };
}

function defaultPod(pod: Json): Json {
  if (!isMapping(pod.spec)) return pod;
  const spec = pod.spec;
  const hostNetwork = spec.hostNetwork === true;
  const containers = (list: unknown) =>
    Array.isArray(list)
      ? list.map((c: unknown) => (isMapping(c) ? (hostNetwork ? defaultHostPorts(defaultRequestsFromLimits(c)) : defaultRequestsFromLimits(c)) : c))
      : list;
  const defaulted: Json = { ...spec };
  for (const key of ["containers", "initContainers"]) if (key in spec) defaulted[key] = containers(spec[key]);
  return { ...pod, spec: defaulted };
}

/** The object as Gatekeeper receives it from the API server (see the file comment for what is applied). */
export function admissionView(object: Readonly<Json>): Json {
  const pruned = dropNulls(object) as Json;
  return pruned.apiVersion === "v1" && pruned.kind === "Pod" ? defaultPod(pruned) : pruned;
}
