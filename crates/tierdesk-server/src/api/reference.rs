//! Customers, services, circuits and departments: create, list, read, replace
//! (with `If-Match`), delete. One macro writes the five handlers of each; what
//! differs (conversion, listing filter, who may write) is passed in.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tierdesk_core::Role;
use tierdesk_store::{Circuit, Customer, Department, Id, Service, Stored};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Auth;
use crate::dto::{
    CircuitIn, CircuitOut, CustomerIn, CustomerOut, DepartmentIn, DepartmentOut, ServiceIn,
    ServiceOut, Show, Word,
};
use crate::extract::{ApiJson, IfMatch, etag};
use crate::problem::Problem;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_customer, list_customers))
        .routes(routes!(get_customer, replace_customer, delete_customer))
        .routes(routes!(create_service, list_services))
        .routes(routes!(get_service, replace_service, delete_service))
        .routes(routes!(create_circuit, list_circuits))
        .routes(routes!(get_circuit, replace_circuit, delete_circuit))
        .routes(routes!(create_department, list_departments))
        .routes(routes!(
            get_department,
            replace_department,
            delete_department
        ))
}

/// An optional parent filter of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Parent {
    /// Only records of this customer (services) or service (circuits).
    #[param(value_type = Option<String>)]
    parent: Option<Word<Id>>,
}

/// A record's response with its ETag.
fn with_etag<T: serde::Serialize>(status: StatusCode, version: i64, body: T) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

/// An id from the body (create), else a generated one with `prefix`.
fn id_or_new(given: Option<Word<Id>>, prefix: &str) -> Result<Id, Problem> {
    match given {
        Some(w) => Ok(w.0),
        None => {
            let secret = crate::auth::new_secret("")?;
            format!("{prefix}-{}", &secret[..10].to_ascii_uppercase())
                .parse()
                .map_err(Problem::internal)
        }
    }
}

/// The id in a replaced record must be the path's.
fn same_id(path: &Id, body: &Option<Word<Id>>) -> Result<(), Problem> {
    match body {
        Some(w) if w.0 != *path => Err(Problem::invalid(
            "/id",
            format!("the body names {} but the path {path}", w.0),
        )),
        _ => Ok(()),
    }
}

fn non_empty(pointer: &str, text: &str) -> Result<String, Problem> {
    let t = text.trim();
    if t.is_empty() {
        Err(Problem::invalid(pointer, "must not be empty"))
    } else {
        Ok(t.to_owned())
    }
}

fn email(pointer: &str, text: &Option<String>) -> Result<Option<String>, Problem> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.contains('@') && !t.contains(char::is_whitespace) => Ok(Some(t.to_owned())),
        Some(t) => Err(Problem::invalid(
            pointer,
            format!("{t:?} is not an e-mail address"),
        )),
    }
}

fn path_id(id: &str) -> Result<Id, Problem> {
    id.parse().map_err(|e| Problem::not_found(format!("{e}")))
}

fn customer_record(input: CustomerIn, id: Id) -> Result<Customer, Problem> {
    Ok(Customer {
        id,
        name: non_empty("/name", &input.name)?,
        level: input.level.0,
        account_manager: input.account_manager.map(|w| w.0),
        contact_email: email("/contact_email", &input.contact_email)?,
        contact_phone: input.contact_phone.filter(|p| !p.trim().is_empty()),
    })
}

fn service_record(input: ServiceIn, id: Id) -> Result<Service, Problem> {
    Ok(Service {
        id,
        customer_id: input.customer_id.0,
        name: non_empty("/name", &input.name)?,
        category: input.category.0,
        assurance_level: input.assurance_level.map(|w| w.0),
        scope: input.scope.0,
        endpoints: input
            .endpoints
            .into_iter()
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())
            .collect(),
    })
}

fn circuit_record(input: CircuitIn, id: Id) -> Result<Circuit, Problem> {
    Ok(Circuit {
        id,
        service_id: input.service_id.0,
        // The store takes the customer from the service.
        customer_id: "pending".parse().map_err(Problem::internal)?,
        a_end: non_empty("/a_end", &input.a_end)?,
        z_end: non_empty("/z_end", &input.z_end)?,
        bandwidth: input.bandwidth.filter(|b| !b.trim().is_empty()),
    })
}

fn department_record(input: DepartmentIn, id: Id) -> Result<Department, Problem> {
    Ok(Department {
        id,
        name: non_empty("/name", &input.name)?,
        kind: input.kind.0,
        leader_email: email("/leader_email", &input.leader_email)?,
    })
}

macro_rules! reference_api {
    (
        what: $what:literal, tag: $tag:literal, list_path: $list_path:literal, item_path: $item_path:literal,
        prefix: $prefix:literal, input: $in:ty, output: $out:ident, record: $record:ty,
        writers: [$($role:expr),*], to_record: $to_record:path,
        create: $create:ident, update: $update:ident, delete: $delete:ident,
        get: |$gs:ident, $gid:ident, $gv:ident| $get:expr,
        list: |$ls:ident, $lv:ident, $lp:ident| $list:expr,
        handlers: ($create_fn:ident, $list_fn:ident, $get_fn:ident, $replace_fn:ident, $delete_fn:ident)
    ) => {
        #[utoipa::path(post, path = $list_path, tag = $tag, request_body = $in,
            responses(
                (status = 201, description = "Created", body = $out, headers(("ETag" = String))),
                (status = 403, description = "Not allowed for this role", body = Problem),
                (status = 409, description = "The id exists, or a reference does not", body = Problem),
                (status = 422, description = "A field is wrong", body = Problem),
            ))]
        async fn $create_fn(State(state): State<AppState>, auth: Auth, ApiJson(input): ApiJson<$in>) -> Result<Response, Problem> {
            auth.require(&[$($role),*], concat!("create ", $what, "s"))?;
            let id = id_or_new(input.id.clone(), $prefix)?;
            let record = $to_record(input, id)?;
            let stored = state.store.$create(&record, state.now()).await?;
            let show = Show(state.policies.time_zone().clone());
            Ok(with_etag(StatusCode::CREATED, stored.stamps.version, $out::from(&stored, &show)))
        }

        #[utoipa::path(get, path = $list_path, tag = $tag, params(Parent),
            responses((status = 200, description = "Those the caller may see, by id", body = Vec<$out>)))]
        async fn $list_fn(State(state): State<AppState>, auth: Auth, Query(parent): Query<Parent>) -> Result<Response, Problem> {
            let $ls = &state;
            let $lv = &auth.viewer;
            let $lp = parent.parent.map(|w| w.0);
            let items: Vec<Stored<$record>> = $list.await?;
            let show = Show(state.policies.time_zone().clone());
            Ok(axum::Json(items.iter().map(|s| $out::from(s, &show)).collect::<Vec<_>>()).into_response())
        }

        #[utoipa::path(get, path = $item_path, tag = $tag, params(("id" = String, Path)),
            responses(
                (status = 200, description = "Found", body = $out, headers(("ETag" = String))),
                (status = 404, description = "Not found (or not the caller's)", body = Problem),
            ))]
        async fn $get_fn(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Result<Response, Problem> {
            let $gs = &state;
            let $gid = path_id(&id)?;
            let $gv = &auth.viewer;
            let stored: Stored<$record> = $get.await?;
            let show = Show(state.policies.time_zone().clone());
            Ok(with_etag(StatusCode::OK, stored.stamps.version, $out::from(&stored, &show)))
        }

        #[utoipa::path(put, path = $item_path, tag = $tag, request_body = $in,
            params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
            responses(
                (status = 200, description = "Replaced", body = $out, headers(("ETag" = String))),
                (status = 404, description = "Not found", body = Problem),
                (status = 412, description = "Changed since the ETag in If-Match", body = Problem),
                (status = 422, description = "A field is wrong", body = Problem),
            ))]
        async fn $replace_fn(
            State(state): State<AppState>,
            auth: Auth,
            Path(id): Path<String>,
            IfMatch(expected): IfMatch,
            ApiJson(input): ApiJson<$in>,
        ) -> Result<Response, Problem> {
            auth.require(&[$($role),*], concat!("change ", $what, "s"))?;
            let id = path_id(&id)?;
            same_id(&id, &input.id)?;
            let record = $to_record(input, id)?;
            let stored = state.store.$update(&record, expected, state.now()).await?;
            let show = Show(state.policies.time_zone().clone());
            Ok(with_etag(StatusCode::OK, stored.stamps.version, $out::from(&stored, &show)))
        }

        #[utoipa::path(delete, path = $item_path, tag = $tag,
            params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
            responses(
                (status = 204, description = "Deleted"),
                (status = 404, description = "Not found", body = Problem),
                (status = 409, description = "Still referred to", body = Problem),
                (status = 412, description = "Changed since the ETag in If-Match", body = Problem),
            ))]
        async fn $delete_fn(State(state): State<AppState>, auth: Auth, Path(id): Path<String>, IfMatch(expected): IfMatch) -> Result<StatusCode, Problem> {
            auth.require(&[$($role),*], concat!("delete ", $what, "s"))?;
            state.store.$delete(&path_id(&id)?, expected).await?;
            Ok(StatusCode::NO_CONTENT)
        }
    };
}

reference_api! {
    what: "customer", tag: "customers", list_path: "/api/v1/customers", item_path: "/api/v1/customers/{id}",
    prefix: "CUS", input: CustomerIn, output: CustomerOut, record: Customer,
    writers: [Role::AccountManager], to_record: customer_record,
    create: create_customer, update: update_customer, delete: delete_customer,
    get: |s, id, v| s.store.customer(&id, v),
    list: |s, v, _p| s.store.customers(v),
    handlers: (create_customer, list_customers, get_customer, replace_customer, delete_customer)
}

reference_api! {
    what: "service", tag: "services", list_path: "/api/v1/services", item_path: "/api/v1/services/{id}",
    prefix: "SVC", input: ServiceIn, output: ServiceOut, record: Service,
    writers: [Role::AccountManager], to_record: service_record,
    create: create_service, update: update_service, delete: delete_service,
    get: |s, id, v| s.store.service(&id, v),
    list: |s, v, p| s.store.services(v, p.as_ref()),
    handlers: (create_service, list_services, get_service, replace_service, delete_service)
}

reference_api! {
    what: "circuit", tag: "circuits", list_path: "/api/v1/circuits", item_path: "/api/v1/circuits/{id}",
    prefix: "CIR", input: CircuitIn, output: CircuitOut, record: Circuit,
    writers: [Role::AccountManager, Role::Construction], to_record: circuit_record,
    create: create_circuit, update: update_circuit, delete: delete_circuit,
    get: |s, id, v| s.store.circuit(&id, v),
    list: |s, v, p| s.store.circuits(v, p.as_ref()),
    handlers: (create_circuit, list_circuits, get_circuit, replace_circuit, delete_circuit)
}

reference_api! {
    what: "department", tag: "departments", list_path: "/api/v1/departments", item_path: "/api/v1/departments/{id}",
    prefix: "DEP", input: DepartmentIn, output: DepartmentOut, record: Department,
    writers: [], to_record: department_record,
    create: create_department, update: update_department, delete: delete_department,
    get: |s, id, _v| s.store.department(&id),
    list: |s, _v, _p| s.store.departments(),
    handlers: (create_department, list_departments, get_department, replace_department, delete_department)
}
