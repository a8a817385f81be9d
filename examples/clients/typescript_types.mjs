// Types for openapi-fetch from the OpenAPI document, with `format: binary` as Blob so that a file upload
// type-checks without a cast (openapi-typescript's documented `transform` for files).
//   node examples/clients/typescript_types.mjs openapi/openapi.json sleutelmonitor.d.ts
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [bron, doel] = process.argv.slice(2);
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const ast = await openapiTS(pathToFileURL(bron), {
  transform: (schema) => (schema.format === "binary" ? BLOB : undefined),
});
fs.writeFileSync(doel, astToString(ast));
