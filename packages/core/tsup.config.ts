import { packageConfig } from "@safeatomic/tsup-config";
import { defineConfig } from "tsup";

export default defineConfig(packageConfig());
