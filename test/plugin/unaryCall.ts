/** One gRPC call to the plugin's server as the engine makes it, awaited: shared by the plugin's server tests. */
import * as grpc from "@grpc/grpc-js";

/** A client method, by its last overload (the one TypeScript infers from): request, metadata, options, callback. */
type Unary<Request, Response> = (
  request: Request,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Response) => void,
) => unknown;

export function call<Request, Response>(method: Unary<Request, Response>, request: Request): Promise<Response> {
  return new Promise((resolve, reject) => {
    method(request, new grpc.Metadata(), {}, (error, response) => {
      if (error === null) resolve(response);
      else reject(error);
    });
  });
}
