/**
 * random.RandomPassword as terraform-provider-random does it (internal/provider/resource_password.go,
 * internal/random/string.go, at the commit pulumi-random v4.21.1 pins): Create draws `length` characters from
 * the enabled classes (upper, lower, numeric, and special = "!@#$%&*()-_=+[]{}<>:?") with a CSPRNG and sets id
 * "none"; Read does nothing; Update copies the plan (every argument RequiresReplace, so only state changes get
 * there); Delete does nothing. bcrypt_hash is not computed here (no bcrypt in the engine): stricter, a program
 * reading `bcryptHash` gets nothing rather than a wrong hash.
 */
import { randomInt } from "crypto";
import { RANDOM_PASSWORD, plannedState, withDefaults } from "../resourceTypes";
import { JsonObject } from "../types";
import { CreateRequest, CreateResult, DeleteRequest, ReadRequest, ResourceHandler, UpdateRequest } from "./handler";
import { bool, num } from "./inputs";

/** internal/random/string.go's character classes. */
export const PASSWORD_CLASSES = {
    upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    lower: "abcdefghijklmnopqrstuvwxyz",
    numeric: "0123456789",
    special: "!@#$%&*()-_=+[]{}<>:?",
} as const;

/** The characters a password with these inputs (defaults filled in) is drawn from. */
export function passwordAlphabet(inputs: JsonObject): string {
    return (Object.keys(PASSWORD_CLASSES) as Array<keyof typeof PASSWORD_CLASSES>)
        .filter((k) => bool(inputs[k]) ?? true)
        .map((k) => PASSWORD_CLASSES[k])
        .join("");
}

export class RandomPasswordHandler implements ResourceHandler {
    async create(req: CreateRequest): Promise<CreateResult> {
        const inputs = withDefaults(RANDOM_PASSWORD, req.inputs);
        const length = num(inputs.length);
        if (length === undefined || !Number.isInteger(length) || length < 1)
            throw new Error(`length = ${JSON.stringify(req.inputs.length)}: expected an integer of at least 1`);
        const alphabet = passwordAlphabet(inputs);
        if (alphabet.length === 0) throw new Error("the password has no character class enabled");
        let result = "";
        for (let i = 0; i < length; i++) result += alphabet[randomInt(alphabet.length)];
        return { id: "none", outputs: { ...inputs, result } };
    }

    async update(req: UpdateRequest): Promise<JsonObject> {
        return plannedState(RANDOM_PASSWORD, req.oldOutputs, req.newInputs);
    }

    async read(req: ReadRequest): Promise<JsonObject | undefined> {
        return req.outputs;
    }

    async delete(_req: DeleteRequest): Promise<void> {}
}
