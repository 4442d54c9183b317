/**
 * The `request` binding of an offline review (Gatekeeper's `request`, the AdmissionRequest fields policies
 * read): a CREATE of the object, by the user an AdmissionReview names or by an unnamed one.
 */
import type { CelInput } from "@bufbuild/cel";
import { isCelMap } from "@bufbuild/cel";
import { toCelValue } from "./cel-library";

function fieldOf(value: unknown, key: string): unknown {
  if (isCelMap(value)) return value.get(key);
  if (value !== null && typeof value === "object") return (value as Record<string, unknown>)[key];
  return undefined;
}

/** `request.userInfo` of an admission request (authentication.k8s.io/v1 UserInfo, the fields policies read). */
export interface RequestUserInfo {
  readonly username?: string;
  readonly groups?: readonly string[];
}

/** The `request` binding of an offline review: a CREATE of the object, by an unnamed user unless `userInfo` says. */
export function requestFor(object: unknown, userInfo?: RequestUserInfo): CelInput {
  return toCelValue(requestJsonFor(object, userInfo));
}

/** {@link requestFor} as decoded JSON, for a `ReviewObject` (each engine converts it only if it reads it). */
export function requestJsonFor(object: unknown, userInfo?: RequestUserInfo): Record<string, unknown> {
  const metadata = fieldOf(object, "metadata");
  const apiVersion = String(fieldOf(object, "apiVersion") ?? "");
  const slash = apiVersion.indexOf("/");
  return {
    operation: "CREATE",
    kind: {
      group: slash < 0 ? "" : apiVersion.slice(0, slash),
      version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
      kind: String(fieldOf(object, "kind") ?? ""),
    },
    namespace: String(fieldOf(metadata, "namespace") ?? ""),
    name: String(fieldOf(metadata, "name") ?? ""),
    userInfo: { username: userInfo?.username ?? "", groups: [...(userInfo?.groups ?? [])] },
    dryRun: false,
  };
}
