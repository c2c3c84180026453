/* teren-nomenclature-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-nomenclature-private.h"

/* Built-in lists of the medical and care lines: community medical assistance, school medical cabinets, disability and personal assistants (DOMAIN.md §6–8).
 * Codes are stable ASCII, official codes where DOMAIN.md gives them; never rename one.
 *
 * The amc_* lists carry the exact codes of the Ministry of Health's community-nursing
 * platform (DOMAIN.md §7, repository code4romania/asistent-medical-comunitar, files
 * vulnerabilities.xlsx and services.xlsx with their dated updates), so that the figures
 * of the monthly report match what the DSP receives. Gaps in a numbering (SMT_13, VSC_07,
 * VGR_98 under REP) are the platform's own. Every other list is Teren's. */

#define ITEMS(array) array, G_N_ELEMENTS (array)

/* AGE */
static const TerenNomenclatureItem amc_age_items[] = {
  { "VCV_00", N_("Newborn (0–27 days)") },
  { "VCV_01", N_("Child 0–1 years") },
  { "VCV_02", N_("Child 1–5 years") },
  { "VCV_03", N_("Child 5–14 years") },
  { "VCV_04", N_("Adolescent 14–18 years") },
  { "VCV_05", N_("Adult 18–65 years") },
  { "VCV_06", N_("Elderly over 65 years") },
};

/* ID */
static const TerenNomenclatureItem amc_id_items[] = {
  { "VAI_01", N_("Child under 14 without a birth certificate") },
  { "VAI_02", N_("Adult or child over 14 without an identity card") },
  { "VAI_99", N_("Holds an identity document") },
};

/* INC */
static const TerenNomenclatureItem amc_inc_items[] = {
  { "VSV_01", N_("No income, no social benefits") },
  { "VSV_02", N_("Receives minimum income or family allowance (VMG/ASF)") },
  { "VSV_03", N_("Pensioner with minimum income") },
  { "VSV_99", N_("No financial vulnerability observed") },
};

/* POV */
static const TerenNomenclatureItem amc_pov_items[] = {
  { "VGS_01", N_("Poverty") },
  { "VGS_02", N_("Extreme poverty") },
  { "VGS_99", N_("No poverty observed") },
};

/* LIV, multi-choice */
static const TerenNomenclatureItem amc_liv_items[] = {
  { "VLP_01", N_("Unhealthy living conditions") },
  { "VLP_02", N_("Overcrowding") },
  { "VLP_03", N_("No home") },
  { "VLP_99", N_("No precarious housing observed") },
};

/* FAM, multi-choice */
static const TerenNomenclatureItem amc_fam_items[] = {
  { "VFA_01",  N_("Adult or elderly person without family") },
  { "VFA_02",  N_("Elderly person living alone") },
  { "VFC_01",  N_("Child with a single parent at home") },
  { "VFC_02",  N_("Child of a family with migrant parents") },
  { "VFC_03",  N_("Child without both parents at home, with an adult carer in the household") },
  { "VFC_04",  N_("Child without an adult carer in the household") },
  { "VFC_05",  N_("Child in placement or foster care in risky conditions") },
  { "VFC_06",  N_("Child at risk of separation from the family") },
  { "VFC_07",  N_("Abandoned child") },
  { "VFC_08",  N_("Deinstitutionalised child") },
  { "VFC_09",  N_("Deserted child") },
  { "VFC_10",  N_("Child of a single-parent family") },
  { "VFCA_99", N_("No family vulnerability observed") },
};

/* EDU */
static const TerenNomenclatureItem amc_edu_items[] = {
  { "VEA_01",  N_("Illiterate adult") },
  { "VEC_01",  N_("Child under 3 not enrolled in a crèche") },
  { "VEC_02",  N_("Child 3–6 not enrolled in kindergarten") },
  { "VEC_03",  N_("Child 6–10 not enrolled in school") },
  { "VEC_04",  N_("Child 11–15 not enrolled in school") },
  { "VEC_05",  N_("Child at risk of dropping out of school") },
  { "VEC_06",  N_("Child at risk of dropping out of school, with special educational needs") },
  { "VEC_07",  N_("Child who dropped out of school") },
  { "VECA_99", N_("No educational vulnerability observed") },
};

/* VIF, multi-choice */
static const TerenNomenclatureItem amc_vif_items[] = {
  { "VFV_01", N_("Risk of violence or abuse in the family") },
  { "VFV_02", N_("Child in a family at risk of child neglect") },
  { "VFV_03", N_("Family violence") },
  { "VFV_04", N_("Abuse in the family") },
  { "VFV_99", N_("No risk of abuse or violence observed") },
};

/* AS */
static const TerenNomenclatureItem amc_as_items[] = {
  { "VSA_01", N_("Uninsured") },
  { "VSA_98", N_("Co-insured") },
  { "VSA_99", N_("Insured") },
};

/* MF */
static const TerenNomenclatureItem amc_mf_items[] = {
  { "VSA_02", N_("Not registered with a family doctor") },
  { "VSA_97", N_("Registered with a family doctor") },
};

/* DIZ */
static const TerenNomenclatureItem amc_diz_items[] = {
  { "VDH_01", N_("Disability with a certificate") },
  { "VDH_02", N_("Disability without a certificate") },
  { "VDH_99", N_("No disability reported") },
};

/* DIZ_GR */
static const TerenNomenclatureItem amc_disability_degree_items[] = {
  { "VDG_01", N_("Mild degree") },
  { "VDG_02", N_("Moderate degree") },
  { "VDG_03", N_("Pronounced degree") },
  { "VDG_04", N_("Severe degree") },
};

/* DIZ_TIP */
static const TerenNomenclatureItem amc_disability_type_items[] = {
  { "VDT_01", N_("Physical disability") },
  { "VDT_02", N_("Visual disability") },
  { "VDT_03", N_("Hearing disability") },
  { "VDT_04", N_("Deafblind disability") },
  { "VDT_05", N_("Somatic disability") },
  { "VDT_06", N_("Mental disability") },
  { "VDT_07", N_("Neuropsychiatric disability") },
  { "VDT_08", N_("HIV/AIDS disability") },
  { "VDT_09", N_("Associated disability") },
  { "VDT_10", N_("Rare disease disability") },
};

/* CR, multi-choice */
static const TerenNomenclatureItem amc_cr_items[] = {
  { "VCR_01", N_("Risky lifestyle (food and exercise)") },
  { "VCR_02", N_("Risky sexual behaviour") },
  { "VCR_03", N_("Risky substance use") },
  { "VCR_04", N_("Risk of violent behaviour") },
  { "VCR_05", N_("Alcohol user") },
  { "VCR_06", N_("Smoker") },
  { "VCR_07", N_("User of psychotropic substances") },
  { "VCR_99", N_("No risky behaviour observed") },
};

/* NS, multi-choice */
static const TerenNomenclatureItem amc_ns_items[] = {
  { "VNS_01", N_("Diseases not properly treated") },
  { "VNS_02", N_("No access to medical services") },
  { "VNS_03", N_("Special medical needs") },
  { "VNS_04", N_("Needs palliative care") },
  { "VNS_05", N_("Needs medical recovery and rehabilitation") },
  { "VNS_06", N_("Needs special medical equipment") },
  { "VNS_07", N_("Dependent on medical staff") },
  { "VNS_08", N_("Needs a personal assistant") },
  { "VNS_99", N_("No special health needs") },
};

/* SSA, multi-choice */
static const TerenNomenclatureItem amc_ssa_items[] = {
  { "VSC_01", N_("Child not vaccinated according to the national calendar") },
  { "VSC_02", N_("Child with low birth weight") },
  { "VSC_03", N_("Child not receiving vitamin D and iron") },
  { "VSC_04", N_("Child under 6 months not exclusively breastfed") },
  { "VSC_05", N_("Child over 6 months without a diversified diet") },
  { "VSC_06", N_("Child not developing according to the standards") },
  { "VSC_08", N_("Child living in a household with persons with mental illness or disabilities") },
  { "VSC_09", N_("Child in contact with tuberculosis") },
  { "VSC_10", N_("Child born prematurely") },
  { "VSC_97", N_("Child vaccinated according to the national calendar") },
  { "VSC_98", N_("Child health risks do not apply") },
  { "VSC_99", N_("Child without identified health risks") },
};

/* SS */
static const TerenNomenclatureItem amc_ss_items[] = {
  { "VSG_01", N_("Chronic disease") },
  { "VSG_02", N_("Recent acute episode") },
  { "VSG_99", N_("No health problems identified") },
};

/* SS without VSG_99, for a disease sub-form */
static const TerenNomenclatureItem amc_disease_type_items[] = {
  { "VSG_01", N_("Chronic disease") },
  { "VSG_02", N_("Recent acute episode") },
};

/* SS_B */
static const TerenNomenclatureItem amc_disease_group_items[] = {
  { "VSG_AD",   N_("Addictions") },
  { "VSG_AL",   N_("Allergies") },
  { "VSG_ALT",  N_("Other kind of condition") },
  { "VSG_AVC",  N_("Stroke") },
  { "VSG_BI",   N_("Infectious disease") },
  { "VSG_BPOC", N_("Chronic obstructive pulmonary disease") },
  { "VSG_BR",   N_("Rare disease") },
  { "VSG_C",    N_("Cirrhosis") },
  { "VSG_DEM",  N_("Dementia") },
  { "VSG_DEP",  N_("Depression") },
  { "VSG_DZ",   N_("Diabetes mellitus") },
  { "VSG_HEP",  N_("Chronic viral hepatitis") },
  { "VSG_HIV",  N_("HIV") },
  { "VSG_HTA",  N_("High blood pressure") },
  { "VSG_IC",   N_("Heart failure") },
  { "VSG_IMA",  N_("Acute myocardial infarction") },
  { "VSG_IR",   N_("Chronic kidney failure") },
  { "VSG_ITS",  N_("Sexually transmitted infections") },
  { "VSG_ONC",  N_("Cancer") },
  { "VSG_SH",   N_("Steatohepatitis") },
  { "VSG_TB",   N_("Tuberculosis") },
  { "VSG_TMC",  N_("Mental and behavioural disorders") },
};

/* REP */
static const TerenNomenclatureItem amc_rep_items[] = {
  { "VGR_01", N_("Pregnant minor") },
  { "VGR_02", N_("Minor in the postpartum period") },
  { "VGR_03", N_("Minor mother") },
  { "VGR_04", N_("Pregnant adult") },
  { "VGR_08", N_("Adult in the postpartum period") },
  { "VGR_09", N_("Woman after an abortion") },
  { "VGR_10", N_("Woman of fertile age") },
  { "VGR_11", N_("Spontaneous abortion") },
  { "VGR_12", N_("Medical abortion") },
  { "VGR_13", N_("Birth at home") },
  { "VGR_14", N_("Woman using contraception") },
  { "VGR_98", N_("Reproductive health does not apply") },
  { "VGR_99", N_("No reproductive risks identified") },
};

/* PREG, multi-choice, only for a pregnant woman */
static const TerenNomenclatureItem amc_preg_items[] = {
  { "VGR_05", N_("Pregnant woman not followed by a family doctor") },
  { "VGR_06", N_("Pregnant woman without prenatal check-ups") },
  { "VGR_07", N_("Unwanted pregnancy") },
  { "VGR_15", N_("Early diagnosis of the pregnancy") },
  { "VGR_96", N_("Pregnant woman who had prenatal consultations") },
  { "VGR_97", N_("No pregnancy risks identified") },
};

/* every code above, for addressed vulnerabilities */
static const TerenNomenclatureItem amc_vulnerability_items[] = {
  { "VCV_00",   N_("Newborn (0–27 days)") },
  { "VCV_01",   N_("Child 0–1 years") },
  { "VCV_02",   N_("Child 1–5 years") },
  { "VCV_03",   N_("Child 5–14 years") },
  { "VCV_04",   N_("Adolescent 14–18 years") },
  { "VCV_05",   N_("Adult 18–65 years") },
  { "VCV_06",   N_("Elderly over 65 years") },
  { "VAI_01",   N_("Child under 14 without a birth certificate") },
  { "VAI_02",   N_("Adult or child over 14 without an identity card") },
  { "VAI_99",   N_("Holds an identity document") },
  { "VSV_01",   N_("No income, no social benefits") },
  { "VSV_02",   N_("Receives minimum income or family allowance (VMG/ASF)") },
  { "VSV_03",   N_("Pensioner with minimum income") },
  { "VSV_99",   N_("No financial vulnerability observed") },
  { "VGS_01",   N_("Poverty") },
  { "VGS_02",   N_("Extreme poverty") },
  { "VGS_99",   N_("No poverty observed") },
  { "VLP_01",   N_("Unhealthy living conditions") },
  { "VLP_02",   N_("Overcrowding") },
  { "VLP_03",   N_("No home") },
  { "VLP_99",   N_("No precarious housing observed") },
  { "VFA_01",   N_("Adult or elderly person without family") },
  { "VFA_02",   N_("Elderly person living alone") },
  { "VFC_01",   N_("Child with a single parent at home") },
  { "VFC_02",   N_("Child of a family with migrant parents") },
  { "VFC_03",   N_("Child without both parents at home, with an adult carer in the household") },
  { "VFC_04",   N_("Child without an adult carer in the household") },
  { "VFC_05",   N_("Child in placement or foster care in risky conditions") },
  { "VFC_06",   N_("Child at risk of separation from the family") },
  { "VFC_07",   N_("Abandoned child") },
  { "VFC_08",   N_("Deinstitutionalised child") },
  { "VFC_09",   N_("Deserted child") },
  { "VFC_10",   N_("Child of a single-parent family") },
  { "VFCA_99",  N_("No family vulnerability observed") },
  { "VEA_01",   N_("Illiterate adult") },
  { "VEC_01",   N_("Child under 3 not enrolled in a crèche") },
  { "VEC_02",   N_("Child 3–6 not enrolled in kindergarten") },
  { "VEC_03",   N_("Child 6–10 not enrolled in school") },
  { "VEC_04",   N_("Child 11–15 not enrolled in school") },
  { "VEC_05",   N_("Child at risk of dropping out of school") },
  { "VEC_06",   N_("Child at risk of dropping out of school, with special educational needs") },
  { "VEC_07",   N_("Child who dropped out of school") },
  { "VECA_99",  N_("No educational vulnerability observed") },
  { "VFV_01",   N_("Risk of violence or abuse in the family") },
  { "VFV_02",   N_("Child in a family at risk of child neglect") },
  { "VFV_03",   N_("Family violence") },
  { "VFV_04",   N_("Abuse in the family") },
  { "VFV_99",   N_("No risk of abuse or violence observed") },
  { "VSA_01",   N_("Uninsured") },
  { "VSA_98",   N_("Co-insured") },
  { "VSA_99",   N_("Insured") },
  { "VSA_02",   N_("Not registered with a family doctor") },
  { "VSA_97",   N_("Registered with a family doctor") },
  { "VDH_01",   N_("Disability with a certificate") },
  { "VDH_02",   N_("Disability without a certificate") },
  { "VDH_99",   N_("No disability reported") },
  { "VDG_01",   N_("Mild degree") },
  { "VDG_02",   N_("Moderate degree") },
  { "VDG_03",   N_("Pronounced degree") },
  { "VDG_04",   N_("Severe degree") },
  { "VDT_01",   N_("Physical disability") },
  { "VDT_02",   N_("Visual disability") },
  { "VDT_03",   N_("Hearing disability") },
  { "VDT_04",   N_("Deafblind disability") },
  { "VDT_05",   N_("Somatic disability") },
  { "VDT_06",   N_("Mental disability") },
  { "VDT_07",   N_("Neuropsychiatric disability") },
  { "VDT_08",   N_("HIV/AIDS disability") },
  { "VDT_09",   N_("Associated disability") },
  { "VDT_10",   N_("Rare disease disability") },
  { "VCR_01",   N_("Risky lifestyle (food and exercise)") },
  { "VCR_02",   N_("Risky sexual behaviour") },
  { "VCR_03",   N_("Risky substance use") },
  { "VCR_04",   N_("Risk of violent behaviour") },
  { "VCR_05",   N_("Alcohol user") },
  { "VCR_06",   N_("Smoker") },
  { "VCR_07",   N_("User of psychotropic substances") },
  { "VCR_99",   N_("No risky behaviour observed") },
  { "VNS_01",   N_("Diseases not properly treated") },
  { "VNS_02",   N_("No access to medical services") },
  { "VNS_03",   N_("Special medical needs") },
  { "VNS_04",   N_("Needs palliative care") },
  { "VNS_05",   N_("Needs medical recovery and rehabilitation") },
  { "VNS_06",   N_("Needs special medical equipment") },
  { "VNS_07",   N_("Dependent on medical staff") },
  { "VNS_08",   N_("Needs a personal assistant") },
  { "VNS_99",   N_("No special health needs") },
  { "VSC_01",   N_("Child not vaccinated according to the national calendar") },
  { "VSC_02",   N_("Child with low birth weight") },
  { "VSC_03",   N_("Child not receiving vitamin D and iron") },
  { "VSC_04",   N_("Child under 6 months not exclusively breastfed") },
  { "VSC_05",   N_("Child over 6 months without a diversified diet") },
  { "VSC_06",   N_("Child not developing according to the standards") },
  { "VSC_08",   N_("Child living in a household with persons with mental illness or disabilities") },
  { "VSC_09",   N_("Child in contact with tuberculosis") },
  { "VSC_10",   N_("Child born prematurely") },
  { "VSC_97",   N_("Child vaccinated according to the national calendar") },
  { "VSC_98",   N_("Child health risks do not apply") },
  { "VSC_99",   N_("Child without identified health risks") },
  { "VSG_01",   N_("Chronic disease") },
  { "VSG_02",   N_("Recent acute episode") },
  { "VSG_99",   N_("No health problems identified") },
  { "VSG_AD",   N_("Addictions") },
  { "VSG_AL",   N_("Allergies") },
  { "VSG_ALT",  N_("Other kind of condition") },
  { "VSG_AVC",  N_("Stroke") },
  { "VSG_BI",   N_("Infectious disease") },
  { "VSG_BPOC", N_("Chronic obstructive pulmonary disease") },
  { "VSG_BR",   N_("Rare disease") },
  { "VSG_C",    N_("Cirrhosis") },
  { "VSG_DEM",  N_("Dementia") },
  { "VSG_DEP",  N_("Depression") },
  { "VSG_DZ",   N_("Diabetes mellitus") },
  { "VSG_HEP",  N_("Chronic viral hepatitis") },
  { "VSG_HIV",  N_("HIV") },
  { "VSG_HTA",  N_("High blood pressure") },
  { "VSG_IC",   N_("Heart failure") },
  { "VSG_IMA",  N_("Acute myocardial infarction") },
  { "VSG_IR",   N_("Chronic kidney failure") },
  { "VSG_ITS",  N_("Sexually transmitted infections") },
  { "VSG_ONC",  N_("Cancer") },
  { "VSG_SH",   N_("Steatohepatitis") },
  { "VSG_TB",   N_("Tuberculosis") },
  { "VSG_TMC",  N_("Mental and behavioural disorders") },
  { "VGR_01",   N_("Pregnant minor") },
  { "VGR_02",   N_("Minor in the postpartum period") },
  { "VGR_03",   N_("Minor mother") },
  { "VGR_04",   N_("Pregnant adult") },
  { "VGR_08",   N_("Adult in the postpartum period") },
  { "VGR_09",   N_("Woman after an abortion") },
  { "VGR_10",   N_("Woman of fertile age") },
  { "VGR_11",   N_("Spontaneous abortion") },
  { "VGR_12",   N_("Medical abortion") },
  { "VGR_13",   N_("Birth at home") },
  { "VGR_14",   N_("Woman using contraception") },
  { "VGR_98",   N_("Reproductive health does not apply") },
  { "VGR_99",   N_("No reproductive risks identified") },
  { "VGR_05",   N_("Pregnant woman not followed by a family doctor") },
  { "VGR_06",   N_("Pregnant woman without prenatal check-ups") },
  { "VGR_07",   N_("Unwanted pregnancy") },
  { "VGR_15",   N_("Early diagnosis of the pregnancy") },
  { "VGR_96",   N_("Pregnant woman who had prenatal consultations") },
  { "VGR_97",   N_("No pregnancy risks identified") },
  { "VCS_01",   N_("Social case") },
};

/* service catalogue */
static const TerenNomenclatureItem amc_service_items[] = {
  { "SIC_01", N_("Electronic registration") },
  { "SEN_01", N_("Catagrafie (vulnerability assessment)") },
  { "SIO_01", N_("General information and guidance") },
  { "SIO_02", N_("Information on discrimination") },
  { "SIO_03", N_("Information on domestic violence and abuse") },
  { "SES_01", N_("Education: pollution") },
  { "SES_02", N_("Education: nutrition") },
  { "SES_03", N_("Education: exercise") },
  { "SES_04", N_("Education: smoking") },
  { "SES_05", N_("Education: alcohol") },
  { "SES_06", N_("Education: drugs") },
  { "SES_07", N_("Education: sexual activity") },
  { "SES_08", N_("Education: family planning") },
  { "SES_09", N_("Parenting education") },
  { "SES_10", N_("Oral and dental education") },
  { "SES_11", N_("Education: other topics") },
  { "SES_12", N_("Preconception counselling") },
  { "SES_13", N_("Counselling of the pregnant woman") },
  { "SES_14", N_("Education: taking the treatment") },
  { "SES_15", N_("Education: getting health insurance") },
  { "SES_16", N_("Education: personal, home and common-area hygiene") },
  { "SES_17", N_("Education: breastfeeding and infant nutrition") },
  { "SES_18", N_("Education: domestic violence and abuse") },
  { "STR_01", N_("Referral to the community team") },
  { "STR_02", N_("Referral to the family doctor") },
  { "STR_03", N_("Referral to a specialist") },
  { "STR_04", N_("Referral to a hospital") },
  { "STR_05", N_("Referral to the health authorities") },
  { "STR_06", N_("Referral to the social authorities") },
  { "STR_07", N_("Referral to the education authorities") },
  { "STR_08", N_("Referral to the local authorities") },
  { "STR_09", N_("Referral to the population register office") },
  { "STR_10", N_("Referral to other service providers") },
  { "STR_11", N_("Mobilisation for vaccination") },
  { "SNF_00", N_("Call to 112") },
  { "SNF_01", N_("Notice to the community team") },
  { "SNF_02", N_("Notice to the family doctor") },
  { "SNF_03", N_("Appointment with a specialist") },
  { "SNF_04", N_("Hospital appointment") },
  { "SNF_05", N_("Notice to the health authorities") },
  { "SNF_06", N_("Notice to the social authorities") },
  { "SNF_07", N_("Notice to the education authorities") },
  { "SNF_08", N_("Notice to the local authorities") },
  { "SNF_09", N_("Appointment at the population register office") },
  { "SNF_10", N_("Call to other service providers") },
  { "SNF_11", N_("Vaccination notice") },
  { "SNF_12", N_("Report to the DSP of problems of access to primary care") },
  { "SNF_13", N_("Report of a domestic violence or abuse case") },
  { "SNF_14", N_("Report of a discrimination case") },
  { "SNF_15", N_("Notice to the social worker of a potential child abandonment") },
  { "SAI_01", N_("Accompanying to the community team") },
  { "SAI_02", N_("Accompanying to the family doctor") },
  { "SAI_03", N_("Accompanying to a specialist") },
  { "SAI_04", N_("Accompanying to a hospital") },
  { "SAI_05", N_("Accompanying to the health authorities") },
  { "SAI_06", N_("Accompanying to the social authorities") },
  { "SAI_07", N_("Accompanying to the education authorities") },
  { "SAI_08", N_("Accompanying to the local authorities") },
  { "SAI_09", N_("Accompanying to the population register office") },
  { "SAI_10", N_("Accompanying to other service providers") },
  { "STI_01", N_("Medication treatment") },
  { "STI_02", N_("Injection treatment") },
  { "STI_03", N_("Dressings") },
  { "STI_04", N_("Nursing care") },
  { "STI_05", N_("First aid") },
  { "STI_06", N_("Other treatment or care") },
  { "STI_07", N_("Palliative treatment (terminal phase)") },
  { "STI_08", N_("Care prescribed by a doctor") },
  { "STI_09", N_("Tuberculosis treatment") },
  { "SMT_01", N_("Pregnancy test") },
  { "SMT_02", N_("Monitoring the pregnancy") },
  { "SMT_03", N_("Monitoring the child's development") },
  { "SMT_04", N_("Monitoring the course of a disease") },
  { "SMT_05", N_("Blood pressure monitoring") },
  { "SMT_06", N_("Blood glucose test") },
  { "SMT_07", N_("Monitoring the treatment") },
  { "SMT_08", N_("Monitoring compliance with medical advice") },
  { "SMT_09", N_("Sample collection") },
  { "SMT_10", N_("Other monitoring or testing") },
  { "SMT_11", N_("Weight monitoring") },
  { "SMT_12", N_("Height monitoring") },
  { "SMT_14", N_("Pulse monitoring") },
  { "SMT_15", N_("Oxygen saturation monitoring") },
  { "SMT_16", N_("Temperature monitoring") },
  { "SSN_01", N_("Buying or handing out medicines") },
  { "SSN_02", N_("Buying or handing out medical devices") },
  { "SSN_03", N_("Buying or handing out formula milk") },
  { "SSN_04", N_("Buying or handing out food") },
  { "SSN_05", N_("Buying or handing out clothes") },
  { "SSN_06", N_("Buying or handing out school supplies") },
  { "SSN_07", N_("Buying or handing out other medical products") },
  { "SSN_08", N_("Help registering an adult with a family doctor") },
  { "SSN_09", N_("Help registering a child with a family doctor") },
  { "SSN_10", N_("Help registering a newborn with a family doctor") },
  { "SSN_11", N_("Help obtaining a disability certificate") },
  { "SSN_12", N_("Help detecting infectious diseases") },
  { "SSN_13", N_("Help obtaining social benefits") },
  { "SSN_14", N_("Accompanying a medical crew to the beneficiary") },
  { "SID_01", N_("Identifying a domestic violence or abuse case") },
  { "SID_02", N_("Identifying a discrimination case") },
  { "SID_03", N_("Identifying a potential child abandonment case") },
  { "SNA_01", N_("Social inquiry") },
  { "SNA_02", N_("Social work activities") },
  { "SNA_03", N_("Educational activities") },
  { "SNA_04", N_("Activities requested by the mayor's office") },
  { "SNA_05", N_("Other activities outside community nursing") },
  { "SAA_01", N_("Data entry in the nursing software") },
  { "SAA_02", N_("Attending a meeting") },
  { "SAA_03", N_("Planning activities") },
  { "SAA_04", N_("Reporting") },
  { "SAA_05", N_("Drawing up documents") },
  { "SAA_06", N_("Other administrative activities") },
  { "SAN_01", N_("Monitoring the quality of public water sources") },
  { "SAN_02", N_("Disinfecting public and private water sources") },
  { "SAN_03", N_("Other environmental activities") },
};

static const TerenNomenclatureItem amc_beneficiary_type_items[] = {
  { "regular",    N_("Regular beneficiary (monitored)") },
  { "occasional", N_("Occasional beneficiary") },
};

static const TerenNomenclatureItem amc_beneficiary_status_items[] = {
  { "registered",  N_("Registered") },
  { "catagrafied", N_("Assessed (catagrafie done)") },
  { "active",      N_("Active beneficiary") },
  { "inactive",    N_("Inactive beneficiary") },
  { "removed",     N_("Removed from the register") },
};

static const TerenNomenclatureItem amc_inactivation_reason_items[] = {
  { "no_needs",           N_("No current health needs") },
  { "temporarily_absent", N_("Temporarily away") },
  { "refuses_services",   N_("Refuses the services") },
  { "unreachable",        N_("Cannot be reached") },
  { "other",              N_("Other inactivation reason") },
};

static const TerenNomenclatureItem amc_work_status_items[] = {
  { "yes",   N_("Works") },
  { "no",    N_("Does not work") },
  { "other", N_("Other work situation") },
};

static const TerenNomenclatureItem amc_case_initiator_items[] = {
  { "nurse",      N_("Community nurse") },
  { "gp",         N_("Family doctor") },
  { "specialist", N_("Specialist doctor") },
  { "team",       N_("Community team") },
  { "dph",        N_("Public health directorate (DSP)") },
  { "other",      N_("Other initiator") },
};

static const TerenNomenclatureItem amc_case_status_items[] = {
  { "open",   N_("Open") },
  { "closed", N_("Closed") },
};

static const TerenNomenclatureItem amc_activity_type_items[] = {
  { "campaign",       N_("Health campaign") },
  { "environment",    N_("Environmental activity") },
  { "administrative", N_("Administrative activity") },
};

static const TerenNomenclatureItem amc_campaign_items[] = {
  { "national",      N_("National campaign") },
  { "local",         N_("Local campaign") },
  { "activity",      N_("Campaign activity") },
  { "intervention",  N_("Campaign intervention") },
  { "screening",     N_("Population screening notice") },
  { "epidem_triage", N_("Epidemiological triage") },
};

static const TerenNomenclatureItem amc_admin_activity_items[] = {
  { "software", N_("Software data entry") },
  { "meeting",  N_("Meeting") },
  { "training", N_("Training") },
  { "planning", N_("Planning") },
  { "other",    N_("Other administrative activity") },
};

static const TerenNomenclatureItem amc_appointment_type_items[] = {
  { "home_visit",    N_("Home visit") },
  { "office",        N_("At the office") },
  { "phone",         N_("By phone") },
  { "accompaniment", N_("Accompaniment") },
  { "other",         N_("Other appointment") },
};

static const TerenNomenclatureItem school_grade_items[] = {
  { "nursery",   N_("Crèche group") },
  { "kg_small",  N_("Kindergarten, small group") },
  { "kg_middle", N_("Kindergarten, middle group") },
  { "kg_large",  N_("Kindergarten, large group") },
  { "prep",      N_("Preparatory grade") },
  { "g1",        N_("Grade I") },
  { "g2",        N_("Grade II") },
  { "g3",        N_("Grade III") },
  { "g4",        N_("Grade IV") },
  { "g5",        N_("Grade V") },
  { "g6",        N_("Grade VI") },
  { "g7",        N_("Grade VII") },
  { "g8",        N_("Grade VIII") },
  { "g9",        N_("Grade IX") },
  { "g10",       N_("Grade X") },
  { "g11",       N_("Grade XI") },
  { "g12",       N_("Grade XII") },
  { "g13",       N_("Grade XIII") },
};

static const TerenNomenclatureItem school_referral_items[] = {
  { "none",          N_("No referral") },
  { "family_doctor", N_("To the family doctor") },
  { "specialist",    N_("To a specialist") },
  { "hospital",      N_("To a hospital") },
  { "emergency_112", N_("Emergency call 112") },
};

static const TerenNomenclatureItem screening_result_items[] = {
  { "normal",       N_("Normal") },
  { "abnormal",     N_("Needs attention") },
  { "not_examined", N_("Not examined") },
};

static const TerenNomenclatureItem school_fitness_items[] = {
  { "fit",             N_("Fit") },
  { "fit_with_advice", N_("Fit with recommendations") },
  { "unfit",           N_("Unfit") },
};

static const TerenNomenclatureItem bmi_for_age_class_items[] = {
  { "underweight", N_("Underweight (below the 5th percentile)") },
  { "normal",      N_("Healthy weight (5th to 85th percentile)") },
  { "overweight",  N_("Overweight (85th to 95th percentile)") },
  { "obese",       N_("Obesity (95th percentile or more)") },
};

static const TerenNomenclatureItem triage_finding_items[] = {
  { "none",           N_("Nothing found") },
  { "pediculosis",    N_("Pediculosis") },
  { "scabies",        N_("Scabies") },
  { "skin_lesions",   N_("Skin lesions") },
  { "fever",          N_("Fever") },
  { "respiratory",    N_("Respiratory symptoms") },
  { "digestive",      N_("Digestive symptoms") },
  { "conjunctivitis", N_("Conjunctivitis") },
  { "rash",           N_("Rash") },
  { "other",          N_("Other finding") },
};

static const TerenNomenclatureItem vaccine_items[] = {
  { "hepb",              N_("Hepatitis B (HepB)") },
  { "bcg",               N_("Tuberculosis (BCG)") },
  { "dtpa_vpi_hib_hepb", N_("Hexavalent DTPa-IPV-Hib-HepB") },
  { "pcv",               N_("Pneumococcal conjugate (PCV)") },
  { "mmr",               N_("Measles, mumps, rubella (MMR/ROR)") },
  { "dtpa_vpi",          N_("Tetravalent DTPa-IPV") },
  { "dtpa",              N_("Diphtheria, tetanus, pertussis for adolescents (dTpa)") },
  { "hpv",               N_("Human papillomavirus (HPV)") },
  { "rotavirus",         N_("Rotavirus") },
  { "influenza",         N_("Influenza") },
  { "other_vaccine",     N_("Other vaccine") },
};

static const TerenNomenclatureItem pe_exemption_type_items[] = {
  { "partial", N_("Partial exemption") },
  { "total",   N_("Total exemption") },
};

static const TerenNomenclatureItem disability_commission_items[] = {
  { "adults", N_("Commission for adults with disabilities") },
  { "cpc",    N_("Child protection commission (CPC)") },
};

static const TerenNomenclatureItem ap_option_items[] = {
  { "personal_assistant",  N_("Personal assistant") },
  { "monthly_indemnity",   N_("Monthly indemnity") },
  { "companion_indemnity", N_("Companion indemnity (severe visual disability)") },
};

static const TerenNomenclatureItem ap_relationship_items[] = {
  { "not_related", N_("Not related") },
  { "spouse",      N_("Spouse") },
  { "degree_1",    N_("Relative of the 1st degree") },
  { "degree_2",    N_("Relative of the 2nd degree") },
  { "degree_3",    N_("Relative of the 3rd degree") },
  { "degree_4",    N_("Relative of the 4th degree") },
  { "in_law",      N_("In-law up to the 4th degree") },
};

static const TerenNomenclatureItem ap_contract_status_items[] = {
  { "requested", N_("Requested") },
  { "active",    N_("Contract in force") },
  { "ended",     N_("Contract ended") },
};

static const TerenNomenclatureItem ap_contract_end_items[] = {
  { "certificate_expired", N_("Disability certificate expired") },
  { "death",               N_("Death of the person with disability") },
  { "resignation",         N_("Resignation") },
  { "option_changed",      N_("Option changed to indemnity") },
  { "other",               N_("Other ending reason") },
};

static const TerenNomenclatureItem leave_solution_items[] = {
  { "replacement_ap", N_("Replacement personal assistant") },
  { "indemnity",      N_("Indemnity equal to the net salary") },
  { "respite_centre", N_("Place in a respite centre") },
};

static const TerenNomenclatureItem change_event_items[] = {
  { "hospitalisation",      N_("Hospitalisation") },
  { "death",                N_("Death") },
  { "address_change",       N_("Change of address") },
  { "institutionalisation", N_("Institutionalisation") },
  { "health_change",        N_("Change in physical or mental state") },
  { "social_change",        N_("Change in the social situation") },
  { "other",                N_("Other event") },
};

static const TerenNomenclatureItem hg886_dependency_degree_items[] = {
  { "IA",   N_("IA: lost mental, bodily and social autonomy") },
  { "IB",   N_("IB: bedridden, needs care day and night") },
  { "IC",   N_("IC: severe mental disorders, mobile") },
  { "IIA",  N_("IIA: partial locomotor autonomy, daily help") },
  { "IIB",  N_("IIB: cannot get up alone") },
  { "IIC",  N_("IIC: needs stimulation for hygiene and dressing") },
  { "IIIA", N_("IIIA: needs regular help with body care") },
  { "IIIB", N_("IIIB: needs help with household tasks") },
};

static const TerenNomenclatureItem semester_items[] = {
  { "1", N_("First half-year") },
  { "2", N_("Second half-year") },
};

const TerenNomenclature teren_nomenclatures_health[] = {
  { "amc_age",                 N_("Age category"), ITEMS (amc_age_items) },
  { "amc_id",                  N_("Identity document"), ITEMS (amc_id_items) },
  { "amc_inc",                 N_("Income source"), ITEMS (amc_inc_items) },
  { "amc_pov",                 N_("Poverty level"), ITEMS (amc_pov_items) },
  { "amc_liv",                 N_("Housing conditions"), ITEMS (amc_liv_items) },
  { "amc_fam",                 N_("Family situation"), ITEMS (amc_fam_items) },
  { "amc_edu",                 N_("Educational situation"), ITEMS (amc_edu_items) },
  { "amc_vif",                 N_("Violence in the family"), ITEMS (amc_vif_items) },
  { "amc_as",                  N_("Health insurance"), ITEMS (amc_as_items) },
  { "amc_mf",                  N_("Family doctor"), ITEMS (amc_mf_items) },
  { "amc_diz",                 N_("Disabilities"), ITEMS (amc_diz_items) },
  { "amc_disability_degree",   N_("Disability degree"), ITEMS (amc_disability_degree_items) },
  { "amc_disability_type",     N_("Disability type"), ITEMS (amc_disability_type_items) },
  { "amc_cr",                  N_("Risk behaviour"), ITEMS (amc_cr_items) },
  { "amc_ns",                  N_("Health needs"), ITEMS (amc_ns_items) },
  { "amc_ssa",                 N_("Child health risks"), ITEMS (amc_ssa_items) },
  { "amc_ss",                  N_("Health state"), ITEMS (amc_ss_items) },
  { "amc_disease_type",        N_("Health state"), ITEMS (amc_disease_type_items) },
  { "amc_disease_group",       N_("Disease or disease group"), ITEMS (amc_disease_group_items) },
  { "amc_rep",                 N_("Reproductive health"), ITEMS (amc_rep_items) },
  { "amc_preg",                N_("Pregnancy"), ITEMS (amc_preg_items) },
  { "amc_vulnerability",       N_("Vulnerability"), ITEMS (amc_vulnerability_items) },
  { "amc_service",             N_("Community nursing service"), ITEMS (amc_service_items) },
  { "amc_beneficiary_type",    N_("Beneficiary type"), ITEMS (amc_beneficiary_type_items) },
  { "amc_beneficiary_status",  N_("Beneficiary status"), ITEMS (amc_beneficiary_status_items) },
  { "amc_inactivation_reason", N_("Inactivation reason"), ITEMS (amc_inactivation_reason_items) },
  { "amc_work_status",         N_("Works"), ITEMS (amc_work_status_items) },
  { "amc_case_initiator",      N_("Case management initiator"), ITEMS (amc_case_initiator_items) },
  { "amc_case_status",         N_("Case management status"), ITEMS (amc_case_status_items) },
  { "amc_activity_type",       N_("Community activity type"), ITEMS (amc_activity_type_items) },
  { "amc_campaign",            N_("Campaign type"), ITEMS (amc_campaign_items) },
  { "amc_admin_activity",      N_("Administrative activity"), ITEMS (amc_admin_activity_items) },
  { "amc_appointment_type",    N_("Appointment type"), ITEMS (amc_appointment_type_items) },
  { "school_grade",            N_("Grade or group"), ITEMS (school_grade_items) },
  { "school_referral",         N_("Referral"), ITEMS (school_referral_items) },
  { "screening_result",        N_("Screening result"), ITEMS (screening_result_items) },
  { "school_fitness",          N_("Fitness"), ITEMS (school_fitness_items) },
  { "bmi_for_age_class",       N_("BMI-for-age class"), ITEMS (bmi_for_age_class_items) },
  { "triage_finding",          N_("Triage finding"), ITEMS (triage_finding_items) },
  { "vaccine",                 N_("Vaccine"), ITEMS (vaccine_items) },
  { "pe_exemption_type",       N_("Exemption type"), ITEMS (pe_exemption_type_items) },
  { "disability_commission",   N_("Issuing commission"), ITEMS (disability_commission_items) },
  { "ap_option",               N_("Option"), ITEMS (ap_option_items) },
  { "ap_relationship",         N_("Relationship to the beneficiary"), ITEMS (ap_relationship_items) },
  { "ap_contract_status",      N_("Contract status"), ITEMS (ap_contract_status_items) },
  { "ap_contract_end",         N_("Reason the contract ended"), ITEMS (ap_contract_end_items) },
  { "leave_solution",          N_("Solution during the leave"), ITEMS (leave_solution_items) },
  { "change_event",            N_("Event"), ITEMS (change_event_items) },
  { "hg886_dependency_degree", N_("Dependency degree (HG 886/2000)"), ITEMS (hg886_dependency_degree_items) },
  { "semester",                N_("Half-year"), ITEMS (semester_items) },
  { NULL, NULL, NULL, 0 },
};
