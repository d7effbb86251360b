// Lets TypeScript import .vue files (vue-tsc checks their insides).
/// <reference types="vite/client" />
declare module "*.vue" {
  import type { DefineComponent } from "vue";

  const component: DefineComponent<object, object, unknown>;
  export default component;
}

// Swagger UI's prebuilt bundle (a function taking its options); it ships no type declarations.
declare module "swagger-ui-dist/swagger-ui-es-bundle.js";
