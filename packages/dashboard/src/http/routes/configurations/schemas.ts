// Configurations, their interfaces and the bodies that change them, as the API shows them (the answers
// are declared in @wgfleet/core, shared with the web app). Shapes only: the services check meaning
// (CIDRs, DNS entries, names) and name the field that is wrong.
import { Type } from "@sinclair/typebox";

export {
  ConfigurationDtoSchema as ConfigurationSchema,
  InterfaceDtoSchema as InterfaceSchema,
} from "@wgfleet/core";

const ShortText = (maxLength: number) => Type.String({ maxLength });
const StringList = (maxItems: number) => Type.Array(Type.String({ maxLength: 256 }), { maxItems });
const Nullable = <T extends ReturnType<typeof Type.Integer>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ConfigurationNameParams = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

const settings = {
  description: Type.Optional(ShortText(1000)),
  dns: Type.Optional(StringList(16)),
  clientAllowedIps: Type.Optional(StringList(64)),
  mtu: Type.Optional(Nullable(Type.Integer({ minimum: 1280, maximum: 9000 }))),
  keepalive: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 65535 }))),
};

export const CreateConfigurationBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 15 }), ...settings },
  { additionalProperties: false },
);

export const UpdateConfigurationBody = Type.Object(settings, { additionalProperties: false });

export const AddInterfaceBody = Type.Object(
  {
    nodeId: Type.String({ minLength: 1, maxLength: 100 }),
    listenPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    pool: Type.String({ minLength: 1, maxLength: 64 }),
    pool6: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    endpoint: Type.Optional(Type.String({ minLength: 1, maxLength: 270 })),
    interfaceName: Type.Optional(Type.String({ minLength: 1, maxLength: 15 })),
  },
  { additionalProperties: false },
);

export const ForceQuery = Type.Object(
  { force: Type.Optional(Type.Boolean({ description: "also delete the peers it still has" })) },
  { additionalProperties: false },
);
