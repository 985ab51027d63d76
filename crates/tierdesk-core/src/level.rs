//! The closed vocabularies of the template: levels, categories, scopes, reasons.
//! Each is parsed from its snake_case (or AAA/AA/A) spelling and nothing else.

/// A word that is not one of a vocabulary's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {input:?}; expected one of: {expected}")]
pub struct UnknownValue {
    /// Which vocabulary, e.g. "customer level".
    pub what: &'static str,
    /// The rejected input.
    pub input: String,
    /// The accepted spellings, comma-separated.
    pub expected: &'static str,
}

/// Declares a closed vocabulary: an enum with its spellings, `FromStr`, `Display`,
/// `ALL`, `as_str` and `index`. Used by the crates that add vocabularies of their own.
#[macro_export]
#[doc(hidden)]
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal, [$($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?]
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the template's order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The spelling used in files, JSON and the API.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Position in [`Self::ALL`], for per-value tables.
            pub const fn index(self) -> usize {
                self as usize
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::UnknownValue {
                        what: $what,
                        input: s.to_owned(),
                        expected: concat!($($text, ", "),+).trim_end_matches(", "),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Customer service level (客户服务等级).
    ///
    /// ```
    /// use tierdesk_core::CustomerLevel;
    /// assert_eq!("gold".parse::<CustomerLevel>().unwrap(), CustomerLevel::Gold);
    /// assert_eq!("platinum".parse::<CustomerLevel>().unwrap_err().to_string(),
    ///     "unknown customer level \"platinum\"; expected one of: gold, silver, bronze, standard");
    /// ```
    CustomerLevel, "customer level", [
        /// 金牌
        Gold = "gold",
        /// 银牌
        Silver = "silver",
        /// 铜牌
        Bronze = "bronze",
        /// 标准
        Standard = "standard",
    ]
);

vocabulary!(
    /// Service assurance level (业务保障等级).
    ///
    /// ```
    /// use tierdesk_core::AssuranceLevel;
    /// assert_eq!("AA".parse::<AssuranceLevel>().unwrap(), AssuranceLevel::AA);
    /// assert!("aa".parse::<AssuranceLevel>().is_err());
    /// ```
    AssuranceLevel, "assurance level", [
        /// AAA级
        AAA = "AAA",
        /// AA级
        AA = "AA",
        /// A级
        A = "A",
        /// 普通级
        Ordinary = "ordinary",
    ]
);

vocabulary!(
    /// Service category (业务类别).
    ///
    /// ```
    /// use tierdesk_core::Category;
    /// assert_eq!(Category::Overlay.as_str(), "overlay");
    /// ```
    Category, "category", [
        /// 专线接入类
        DedicatedLine = "dedicated_line",
        /// 叠加类
        Overlay = "overlay",
    ]
);

vocabulary!(
    /// Geographic scope of a service or fault.
    ///
    /// ```
    /// use tierdesk_core::Scope;
    /// assert_eq!("cross_province".parse::<Scope>().unwrap(), Scope::CrossProvince);
    /// ```
    Scope, "scope", [
        /// 地市内
        City = "city",
        /// 跨地市 (within one province)
        CrossCity = "cross_city",
        /// 跨省
        CrossProvince = "cross_province",
    ]
);

vocabulary!(
    /// Kind of service change (chapter 6).
    ///
    /// ```
    /// use tierdesk_core::ChangeType;
    /// assert_eq!("resume".parse::<ChangeType>().unwrap(), ChangeType::Resume);
    /// ```
    ChangeType, "change type", [
        /// 停机
        Suspend = "suspend",
        /// 销户
        Close = "close",
        /// 复机
        Resume = "resume",
        /// Another change: suspend limit plus provisioning limit.
        Other = "other",
        /// A change that rebuilds outside-plant resources: provisioning limit plus cutover testing.
        Rebuild = "rebuild",
    ]
);

vocabulary!(
    /// Why a clock is paused; policy says which reasons stop which clocks.
    ///
    /// ```
    /// use tierdesk_core::PauseReason;
    /// assert_eq!("interconnection".parse::<PauseReason>().unwrap(), PauseReason::Interconnection);
    /// ```
    PauseReason, "pause reason", [
        /// 客户自身原因
        Customer = "customer",
        /// 互联互通原因 (another carrier)
        Interconnection = "interconnection",
        /// Anything else; stops no clock unless policy says so.
        Other = "other",
    ]
);

vocabulary!(
    /// Delivery artefact of table 5-7.
    ///
    /// ```
    /// use tierdesk_core::Artifact;
    /// assert_eq!("delivery_test_report".parse::<Artifact>().unwrap(), Artifact::DeliveryTestReport);
    /// ```
    Artifact, "artifact", [
        /// 业务开通交付报告
        DeliveryReport = "delivery_report",
        /// 业务交付测试报告
        DeliveryTestReport = "delivery_test_report",
        /// 专门维护人员
        MaintenanceStaff = "maintenance_staff",
        /// 服务满意度调查
        SatisfactionSurvey = "satisfaction_survey",
    ]
);

vocabulary!(
    /// How a planned-work notice is delivered (table 8-1).
    ///
    /// ```
    /// use tierdesk_core::NoticeChannel;
    /// assert_eq!("letter".parse::<NoticeChannel>().unwrap(), NoticeChannel::Letter);
    /// ```
    NoticeChannel, "notice channel", [
        /// 告知函
        Letter = "letter",
        /// 工单
        Ticket = "ticket",
        /// 电子邮件
        Email = "email",
    ]
);

vocabulary!(
    /// Who a planned-work notice goes to (table 8-1).
    ///
    /// ```
    /// use tierdesk_core::NoticeRecipient;
    /// assert_eq!(NoticeRecipient::AccountManager.as_str(), "account_manager");
    /// ```
    NoticeRecipient, "notice recipient", [
        /// The customer, through the account manager.
        Customer = "customer",
        /// The account manager only.
        AccountManager = "account_manager",
    ]
);

/// A value for each customer level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerCustomer<T>(pub [T; 4]);

/// A value for each service assurance level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerAssurance<T>(pub [T; 4]);

/// A value for each scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerScope<T>(pub [T; 3]);

/// A value for each category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerCategory<T>(pub [T; 2]);

impl<T> PerCustomer<T> {
    /// The value for `level`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{CustomerLevel, PerCustomer};
    /// assert_eq!(*PerCustomer([3, 3, 2, 2]).get(CustomerLevel::Bronze), 2);
    /// ```
    pub fn get(&self, level: CustomerLevel) -> &T {
        &self.0[level.index()]
    }
}

impl<T> PerAssurance<T> {
    /// The value for `level`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{AssuranceLevel, PerAssurance};
    /// assert_eq!(*PerAssurance([4, 6, 8, 10]).get(AssuranceLevel::A), 8);
    /// ```
    pub fn get(&self, level: AssuranceLevel) -> &T {
        &self.0[level.index()]
    }
}

impl<T> PerScope<T> {
    /// The value for `scope`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{PerScope, Scope};
    /// assert_eq!(*PerScope([1, 2, 2]).get(Scope::CrossCity), 2);
    /// ```
    pub fn get(&self, scope: Scope) -> &T {
        &self.0[scope.index()]
    }
}

impl<T> PerCategory<T> {
    /// The value for `category`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{Category, PerCategory};
    /// assert_eq!(*PerCategory([3, 1]).get(Category::Overlay), 1);
    /// ```
    pub fn get(&self, category: Category) -> &T {
        &self.0[category.index()]
    }
}
