//! The manifests of one application namespace: identities, RBAC, workloads, config,
//! secrets, network policies and alert rules, rendered for one side.

use serde_json::{Value, json};

use super::{NamespaceSpec, Plant, STAGING, Side, meta};
use crate::rng::{ALNUM, Rng};

const RBAC: &str = "rbac.authorization.k8s.io/v1";

/// Objects shared by every namespace of a cluster (the same on both sides).
pub fn cluster_wide() -> Vec<Value> {
    vec![
        json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": {"name": "metrics-reader"},
               "rules": [{"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]}),
        json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": {"name": "config-reader"},
               "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"]}]}),
    ]
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

fn b64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn binding(name: &str, ns: &str, role_kind: &str, role: &str, sa: &str) -> Value {
    json!({"apiVersion": RBAC, "kind": "RoleBinding", "metadata": meta(name, ns, json!({})),
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role},
           "subjects": [{"kind": "ServiceAccount", "name": sa, "namespace": ns}]})
}

fn deployment(
    spec: &NamespaceSpec,
    ns: &str,
    component: &str,
    env: Vec<Value>,
    replicas: u32,
) -> Value {
    let app = &spec.app;
    let labels = json!({"app": app, "component": component});
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(component, ns, labels.clone()),
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels.clone()},
            "template": {"metadata": {"labels": labels}, "spec": {
                "serviceAccountName": component, "automountServiceAccountToken": component == "worker",
                "containers": [{"name": component, "image": format!("registry.example.com/{app}/{component}:{}", spec.image_tag),
                    "ports": [{"containerPort": 8080}], "env": env,
                    "envFrom": [{"configMapRef": {"name": format!("{app}-config")}}],
                    "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}}]}}}})
}

fn env_from(name: &str, kind: &str, object: &str, key: &str) -> Value {
    json!({"name": name, "valueFrom": {kind: {"name": object, "key": key}}})
}

pub fn namespace_docs(spec: &NamespaceSpec, side: Side, secrets: &mut Rng) -> Vec<Value> {
    let ns = spec.namespace(side);
    let app = &spec.app;
    let staging = side.name == STAGING.name;
    let planted = |p: Plant| staging && spec.plant == Some(p);
    let mut docs = vec![json!({"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": ns, "labels": {"team": spec.team, "environment": side.name}}})];
    let sas: &[&str] = if planted(Plant::ServiceAccountMissing) {
        &["api"]
    } else {
        &["api", "worker"]
    };
    for sa in sas {
        docs.push(json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(sa, &ns, json!({"app": app})),
                         "automountServiceAccountToken": *sa == "worker"}));
    }
    let mut api_rules = vec![
        rule(&[""], &["configmaps"], &["get", "list", "watch"]),
        json!({"apiGroups": [""], "resources": ["secrets"], "resourceNames": [format!("{app}-db")], "verbs": ["get"]}),
        rule(&["apps"], &["deployments"], &["get", "list"]),
    ];
    if planted(Plant::ExtraRule) {
        api_rules.push(rule(&[""], &["pods/exec"], &["create"]));
    }
    let mut worker_rules = vec![
        rule(&["batch"], &["jobs"], &["get", "list", "create", "delete"]),
        rule(&[""], &["pods"], &["get", "list"]),
    ];
    if !planted(Plant::MissingRule) {
        worker_rules.push(rule(&[""], &["pods/log"], &["get"]));
    }
    docs.push(json!({"apiVersion": RBAC, "kind": "Role", "metadata": meta("api", &ns, json!({})), "rules": api_rules}));
    docs.push(binding("api", &ns, "Role", "api", "api"));
    docs.push(binding(
        "api-metrics",
        &ns,
        "ClusterRole",
        "config-reader",
        "api",
    ));
    if sas.contains(&"worker") {
        docs.push(json!({"apiVersion": RBAC, "kind": "Role", "metadata": meta("worker", &ns, json!({})), "rules": worker_rules}));
        docs.push(binding("worker", &ns, "Role", "worker", "worker"));
    }
    if spec.cluster_role && sas.contains(&"worker") {
        let name = format!("{ns}-node-reader");
        docs.push(
            json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": {"name": name},
                         "rules": [rule(&[""], &["nodes"], &["get", "list"])]}),
        );
        docs.push(json!({"apiVersion": RBAC, "kind": "ClusterRoleBinding", "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
            "subjects": [{"kind": "ServiceAccount", "name": "worker", "namespace": ns}]}));
    }
    let db_password = secrets.chars(ALNUM, 24);
    let password_env = if planted(Plant::PlaintextSecret) {
        json!({"name": "DB_PASSWORD", "value": db_password})
    } else {
        env_from(
            "DB_PASSWORD",
            "secretKeyRef",
            &format!("{app}-db"),
            "password",
        )
    };
    let api_env = vec![
        env_from(
            "LOG_LEVEL",
            "configMapKeyRef",
            &format!("{app}-config"),
            "LOG_LEVEL",
        ),
        password_env,
        json!({"name": "PORT", "value": "8080"}),
    ];
    docs.push(deployment(spec, &ns, "api", api_env, 2));
    if sas.contains(&"worker") {
        let worker_env = vec![
            env_from(
                "API_KEY",
                "secretKeyRef",
                &format!("{app}-api-keys"),
                "partner",
            ),
            json!({"name": "QUEUE", "value": format!("{app}-jobs")}),
        ];
        docs.push(deployment(spec, &ns, "worker", worker_env, 1));
    }
    let flags = if planted(Plant::ConfigDrift) {
        "checkout-v2,beta-search"
    } else {
        "checkout-v2"
    };
    docs.push(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(&format!("{app}-config"), &ns, json!({"app": app})),
        "data": {"LOG_LEVEL": "info", "CACHE_TTL_SECONDS": "300", "FEATURE_FLAGS": flags,
                 "DB_HOST": format!("{app}-db.{ns}.svc.cluster.local"),
                 "UPSTREAM_URL": format!("https://api.{}.shop.example", side.name)}}));
    docs.push(json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": meta(&format!("{app}-db"), &ns, json!({})),
        "data": {"username": b64(app.as_bytes()), "password": b64(db_password.as_bytes())}}));
    docs.push(json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": meta(&format!("{app}-api-keys"), &ns, json!({})),
        "data": {"partner": b64(secrets.chars(ALNUM, 32).as_bytes())}}));
    if !planted(Plant::NetworkPolicyMissing) {
        docs.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta("default-deny", &ns, json!({})),
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}));
    }
    docs.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta("allow-api-ingress", &ns, json!({})),
        "spec": {"podSelector": {"matchLabels": {"component": "api"}}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}],
                         "ports": [{"protocol": "TCP", "port": 8080}]}]}}));
    docs.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta("allow-dns-egress", &ns, json!({})),
        "spec": {"podSelector": {}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
                        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]}}));
    docs.push(alerts(spec, &ns, planted(Plant::AlertMissing)));
    docs
}

/// Alert names of a namespace (the first is the one a plant removes).
pub fn alert_names(spec: &NamespaceSpec) -> Vec<String> {
    let camel: String = spec
        .app
        .chars()
        .take(1)
        .flat_map(char::to_uppercase)
        .chain(spec.app.chars().skip(1))
        .collect();
    ["HighErrorRate", "HighLatency", "PodCrashLooping"]
        .iter()
        .take(spec.alerts)
        .map(|a| format!("{camel}{a}"))
        .collect()
}

fn alerts(spec: &NamespaceSpec, ns: &str, drop_first: bool) -> Value {
    let names = alert_names(spec);
    let rules: Vec<Value> = names
        .iter()
        .enumerate()
        .filter(|(i, _)| !(drop_first && *i == 0))
        .map(|(i, alert)| {
            let expr = match i {
                0 => format!("sum(rate(http_requests_total{{namespace=\"{ns}\",code=~\"5..\"}}[5m])) / sum(rate(http_requests_total{{namespace=\"{ns}\"}}[5m])) > 0.05"),
                1 => format!("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{namespace=\"{ns}\"}}[5m]))) > 1"),
                _ => format!("increase(kube_pod_container_status_restarts_total{{namespace=\"{ns}\"}}[15m]) > 3"),
            };
            json!({"alert": alert, "expr": expr, "for": "10m", "labels": {"severity": if i == 0 { "critical" } else { "warning" }},
                   "annotations": {"summary": format!("{alert} in {ns}")}})
        })
        .collect();
    json!({"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
           "metadata": meta(&format!("{}-alerts", spec.app), ns, json!({"release": "prometheus"})),
           "spec": {"groups": [{"name": format!("{}.rules", spec.app), "rules": rules}]}})
}

#[cfg(test)]
mod tests {
    use super::b64;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(b64(b"foobar"), "Zm9vYmFy");
        assert_eq!(b64(b"fooba"), "Zm9vYmE=");
        assert_eq!(b64(b"f"), "Zg==");
    }
}
