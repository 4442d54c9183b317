export { createGuardDuty } from "./guardduty";
export { createEcrRepositories } from "./ecr";
