import { packageProject } from "@safeatomic/vitest-config";

export default packageProject("core");
