// envparity test oracle (MIT, like the project): a line-oriented front end to the
// independent IAM simulator `@cloud-copilot/iam-simulate` (AGPL-3.0-or-later). That package
// is never vendored: `install.sh` installs it into a git-ignored folder, passed here as the
// first argument, and this script runs as a separate process during tests only.
//
// Input, one JSON object a line on stdin:
//   {"identityPolicies": [doc, ...], "permissionBoundaryPolicies": [doc, ...],
//    "serviceControlPolicies": [doc | [doc, ...], ...],
//    "request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
//                "principal": "arn:aws:iam::123456789012:role/app",
//                "context": {"aws:SourceIp": "10.0.0.1" | ["v1", "v2"]}}}
// where each doc is an IAM policy document (an object or its JSON text). An empty
// `permissionBoundaryPolicies` means "no boundary". `serviceControlPolicies` lists the
// levels of the organization, root first: an array element is one level whose policies are
// unioned, a bare document is a level of its own; every level must allow.
//
// Output, one JSON line per input line, in order:
//   {"decision": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied"}
//   {"error": "<why the simulator could not decide>"}
// A context key the simulator drops as not applicable to the action is an error, because
// the caller evaluated the request with it.

import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

const oracleDir = resolve(process.argv[2] ?? '.oracle')
const require = createRequire(join(oracleDir, 'package.json'))
const { runSimulation } = require('@cloud-copilot/iam-simulate')

const DEFAULT_PRINCIPAL = 'arn:aws:iam::123456789012:role/app'

function doc(policy) {
  return typeof policy === 'string' ? JSON.parse(policy) : policy
}

function named(prefix, policies) {
  return (policies ?? []).map((policy, i) => ({ name: `${prefix}-${i}`, policy: doc(policy) }))
}

function scpLevels(levels) {
  return (levels ?? []).map((level, i) => ({
    orgIdentifier: i === 0 ? 'r-root' : `ou-level-${i}`,
    policies: named(`scp-${i}`, Array.isArray(level) ? level : [level])
  }))
}

// The account owning the resource: the ARN's account field, else the principal's account.
function accountOf(resource, principal) {
  const fromArn = (arn) => (typeof arn === 'string' ? (arn.split(':')[4] ?? '') : '')
  return fromArn(resource) || fromArn(principal) || '123456789012'
}

async function decide(input) {
  const request = input.request ?? {}
  const principal = request.principal ?? DEFAULT_PRINCIPAL
  const resource = request.resource ?? '*'
  const boundary = named('boundary', input.permissionBoundaryPolicies)
  const simulation = {
    request: {
      principal,
      action: request.action,
      resource: { resource, accountId: accountOf(resource, principal) },
      contextVariables: request.context ?? {}
    },
    identityPolicies: named('identity', input.identityPolicies),
    serviceControlPolicies: scpLevels(input.serviceControlPolicies),
    resourceControlPolicies: []
  }
  if (boundary.length > 0) {
    simulation.permissionBoundaryPolicies = boundary
  }
  const result = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (result.resultType === 'error') {
    return { error: JSON.stringify(result.errors) }
  }
  if (result.resultType !== 'single') {
    return { error: `resource \`${resource}\` is not concrete (${result.resultType} result)` }
  }
  const ignored = result.result?.ignoredContextKeys ?? []
  if (ignored.length > 0) {
    return { error: `context keys ignored for \`${request.action}\`: ${ignored.join(', ')}` }
  }
  return { decision: result.overallResult }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
  let answer
  try {
    answer = line.trim() === '' ? { error: 'empty input line' } : await decide(JSON.parse(line))
  } catch (err) {
    answer = { error: `simulator failed: ${err?.message ?? String(err)}` }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
}
