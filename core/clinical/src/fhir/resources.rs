//! The subset of FHIR R4 resources and data types Carnet reads.
//!
//! Only the fields Carnet maps are declared; serde skips the rest while scanning,
//! so a resource is never held twice. Nested resources (`contained`) stay raw JSON
//! and are deserialised when a reference points to them.

use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Debug, Deserialize, Default, Clone)]
pub(crate) struct Coding {
    pub system: Option<String>,
    pub code: Option<String>,
    pub display: Option<String>,
}

#[derive(Debug, Deserialize, Default, Clone)]
pub(crate) struct CodeableConcept {
    #[serde(default)]
    pub coding: Vec<Coding>,
    pub text: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Reference {
    pub reference: Option<String>,
    pub display: Option<String>,
    pub identifier: Option<Identifier>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Identifier {
    pub system: Option<String>,
    pub value: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<CodeableConcept>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct HumanName {
    #[serde(rename = "use")]
    pub name_use: Option<String>,
    pub family: Option<String>,
    #[serde(default)]
    pub given: Vec<String>,
    #[serde(default)]
    pub prefix: Vec<String>,
    pub text: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Quantity {
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Period {
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Attachment {
    #[serde(rename = "contentType")]
    pub content_type: Option<String>,
    pub data: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Narrative {
    pub div: Option<String>,
}

/// The first fields of any resource, read to dispatch on its type.
#[derive(Debug, Deserialize)]
pub(crate) struct Peek<'a> {
    #[serde(rename = "resourceType", borrow)]
    pub resource_type: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    pub id: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Bundle<'a> {
    pub identifier: Option<Identifier>,
    #[serde(rename = "type")]
    pub bundle_type: Option<String>,
    #[serde(default, borrow)]
    pub entry: Vec<BundleEntry<'a>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct BundleEntry<'a> {
    #[serde(rename = "fullUrl")]
    pub full_url: Option<String>,
    #[serde(borrow)]
    pub resource: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Patient {
    #[serde(default)]
    pub identifier: Vec<Identifier>,
    #[serde(default)]
    pub name: Vec<HumanName>,
    #[serde(rename = "birthDate")]
    pub birth_date: Option<String>,
    pub gender: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Practitioner {
    #[serde(default)]
    pub identifier: Vec<Identifier>,
    #[serde(default)]
    pub name: Vec<HumanName>,
    #[serde(default)]
    pub qualification: Vec<Qualification>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Qualification {
    pub code: Option<CodeableConcept>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct PractitionerRole {
    pub practitioner: Option<Reference>,
    pub organization: Option<Reference>,
    #[serde(default)]
    pub code: Vec<CodeableConcept>,
    #[serde(default)]
    pub specialty: Vec<CodeableConcept>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Organization {
    #[serde(default)]
    pub identifier: Vec<Identifier>,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Device {
    #[serde(rename = "deviceName", default)]
    pub device_name: Vec<DeviceName>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct DeviceName {
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Binary {
    #[serde(rename = "contentType")]
    pub content_type: Option<String>,
    pub data: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct DocumentReference<'a> {
    #[serde(rename = "masterIdentifier")]
    pub master_identifier: Option<Identifier>,
    #[serde(rename = "type")]
    pub doc_type: Option<CodeableConcept>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    pub date: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub author: Vec<Reference>,
    pub authenticator: Option<Reference>,
    pub custodian: Option<Reference>,
    pub subject: Option<Reference>,
    #[serde(rename = "securityLabel", default)]
    pub security_label: Vec<CodeableConcept>,
    #[serde(default)]
    pub content: Vec<DocumentContent>,
    #[serde(default, borrow)]
    pub contained: Vec<&'a RawValue>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct DocumentContent {
    pub attachment: Option<Attachment>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Composition<'a> {
    pub identifier: Option<Identifier>,
    #[serde(rename = "type")]
    pub doc_type: Option<CodeableConcept>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    pub date: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub author: Vec<Reference>,
    #[serde(default)]
    pub attester: Vec<Attester>,
    pub custodian: Option<Reference>,
    pub subject: Option<Reference>,
    pub confidentiality: Option<String>,
    pub language: Option<String>,
    #[serde(default)]
    pub section: Vec<CompositionSection>,
    #[serde(default, borrow)]
    pub contained: Vec<&'a RawValue>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Attester {
    pub mode: Option<String>,
    pub time: Option<String>,
    pub party: Option<Reference>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct CompositionSection {
    pub title: Option<String>,
    pub code: Option<CodeableConcept>,
    pub text: Option<Narrative>,
    #[serde(default)]
    pub section: Vec<CompositionSection>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Observation {
    pub status: Option<String>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    pub code: Option<CodeableConcept>,
    #[serde(rename = "effectiveDateTime")]
    pub effective_date_time: Option<String>,
    #[serde(rename = "effectivePeriod")]
    pub effective_period: Option<Period>,
    #[serde(rename = "effectiveInstant")]
    pub effective_instant: Option<String>,
    pub issued: Option<String>,
    #[serde(rename = "valueQuantity")]
    pub value_quantity: Option<Quantity>,
    #[serde(rename = "valueCodeableConcept")]
    pub value_codeable_concept: Option<CodeableConcept>,
    #[serde(rename = "valueString")]
    pub value_string: Option<String>,
    #[serde(rename = "valueBoolean")]
    pub value_boolean: Option<bool>,
    #[serde(rename = "valueInteger")]
    pub value_integer: Option<i64>,
    #[serde(default)]
    pub component: Vec<ObservationComponent>,
    #[serde(rename = "referenceRange", default)]
    pub reference_range: Vec<ReferenceRange>,
    #[serde(default)]
    pub interpretation: Vec<CodeableConcept>,
}

/// The `value[x]` of an observation or of one of its components.
pub(crate) struct ObservationValue<'a> {
    pub quantity: Option<&'a Quantity>,
    pub codeable_concept: Option<&'a CodeableConcept>,
    pub string: Option<&'a str>,
    pub boolean: Option<bool>,
    pub integer: Option<i64>,
}

macro_rules! value_accessor {
    ($type:ty) => {
        impl $type {
            pub fn value(&self) -> ObservationValue<'_> {
                ObservationValue {
                    quantity: self.value_quantity.as_ref(),
                    codeable_concept: self.value_codeable_concept.as_ref(),
                    string: self.value_string.as_deref(),
                    boolean: self.value_boolean,
                    integer: self.value_integer,
                }
            }
        }
    };
}

value_accessor!(Observation);
value_accessor!(ObservationComponent);

#[derive(Debug, Deserialize, Default)]
pub(crate) struct ObservationComponent {
    pub code: Option<CodeableConcept>,
    #[serde(rename = "valueQuantity")]
    pub value_quantity: Option<Quantity>,
    #[serde(rename = "valueCodeableConcept")]
    pub value_codeable_concept: Option<CodeableConcept>,
    #[serde(rename = "valueString")]
    pub value_string: Option<String>,
    #[serde(rename = "valueBoolean")]
    pub value_boolean: Option<bool>,
    #[serde(rename = "valueInteger")]
    pub value_integer: Option<i64>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct ReferenceRange {
    pub low: Option<Quantity>,
    pub high: Option<Quantity>,
    pub text: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Immunization {
    pub status: Option<String>,
    #[serde(rename = "vaccineCode")]
    pub vaccine_code: Option<CodeableConcept>,
    #[serde(rename = "occurrenceDateTime")]
    pub occurrence_date_time: Option<String>,
    #[serde(rename = "lotNumber")]
    pub lot_number: Option<String>,
    #[serde(rename = "protocolApplied", default)]
    pub protocol_applied: Vec<ProtocolApplied>,
    #[serde(default)]
    pub performer: Vec<ImmunizationPerformer>,
    pub route: Option<CodeableConcept>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct ProtocolApplied {
    #[serde(rename = "doseNumberPositiveInt")]
    pub dose_number: Option<u32>,
    #[serde(rename = "doseNumberString")]
    pub dose_number_string: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct ImmunizationPerformer {
    pub actor: Option<Reference>,
}

/// MedicationStatement and MedicationRequest share what Carnet reads.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct MedicationUse<'a> {
    pub status: Option<String>,
    #[serde(rename = "medicationCodeableConcept")]
    pub medication_codeable_concept: Option<CodeableConcept>,
    #[serde(rename = "medicationReference")]
    pub medication_reference: Option<Reference>,
    #[serde(rename = "effectiveDateTime")]
    pub effective_date_time: Option<String>,
    #[serde(rename = "effectivePeriod")]
    pub effective_period: Option<Period>,
    #[serde(rename = "authoredOn")]
    pub authored_on: Option<String>,
    #[serde(default)]
    pub dosage: Vec<Dosage>,
    #[serde(rename = "dosageInstruction", default)]
    pub dosage_instruction: Vec<Dosage>,
    #[serde(rename = "dispenseRequest")]
    pub dispense_request: Option<DispenseRequest>,
    #[serde(default, borrow)]
    pub contained: Vec<&'a RawValue>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Dosage {
    pub text: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct DispenseRequest {
    #[serde(rename = "validityPeriod")]
    pub validity_period: Option<Period>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Medication {
    pub code: Option<CodeableConcept>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct AllergyIntolerance {
    pub code: Option<CodeableConcept>,
    pub criticality: Option<String>,
    #[serde(default)]
    pub reaction: Vec<AllergyReaction>,
    #[serde(rename = "onsetDateTime")]
    pub onset_date_time: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct AllergyReaction {
    #[serde(default)]
    pub manifestation: Vec<CodeableConcept>,
    pub severity: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct Condition {
    #[serde(rename = "clinicalStatus")]
    pub clinical_status: Option<CodeableConcept>,
    pub code: Option<CodeableConcept>,
    #[serde(rename = "onsetDateTime")]
    pub onset_date_time: Option<String>,
    #[serde(rename = "abatementDateTime")]
    pub abatement_date_time: Option<String>,
    #[serde(rename = "recordedDate")]
    pub recorded_date: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct DiagnosticReport {
    pub identifier: Option<Vec<Identifier>>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    pub code: Option<CodeableConcept>,
    #[serde(rename = "effectiveDateTime")]
    pub effective_date_time: Option<String>,
    pub issued: Option<String>,
    #[serde(default)]
    pub performer: Vec<Reference>,
    #[serde(rename = "presentedForm", default)]
    pub presented_form: Vec<Attachment>,
    pub conclusion: Option<String>,
    pub subject: Option<Reference>,
    #[serde(default)]
    pub result: Vec<Reference>,
}

/// The result references of a DiagnosticReport, read before the Bundle's
/// Observations so that they can be grouped under their report.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct DiagnosticReportResults {
    #[serde(default)]
    pub result: Vec<Reference>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct FamilyMemberHistory {
    pub relationship: Option<CodeableConcept>,
    #[serde(default)]
    pub condition: Vec<FamilyMemberCondition>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct FamilyMemberCondition {
    pub code: Option<CodeableConcept>,
}
