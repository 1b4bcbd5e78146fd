"""Every parameter of the model, hard-coded as the research notebooks printed them.

This is the procedural stage's one source of truth, and its weak point: each value
below was learned from the training split of ``data/train.csv`` and copied here by
hand. When the data changes, nothing updates them; only
``procedural/tests/test_procedural_config.py`` notices that they went stale.

Floats are written at full precision (their ``repr``), so the hard-coded values give
exactly the numbers a fresh fit gives. Only the 36 selected features and the
variables they are made from appear here.
"""

from pathlib import Path

# ---- paths (from this file, never from the working directory) ----
ROOT = Path(__file__).resolve().parents[1]
TRAINING_DATA_PATH = ROOT / "data" / "train.csv"
TESTING_DATA_PATH = ROOT / "data" / "test.csv"
OUTPUTS_DIR = ROOT / "procedural" / "outputs"
# each fitted object is saved on its own: two files to keep in step with this module
OUTPUT_SCALER_PATH = OUTPUTS_DIR / "scaler.joblib"
OUTPUT_MODEL_PATH = OUTPUTS_DIR / "lasso.joblib"
OUTPUT_PREDICTIONS_PATH = OUTPUTS_DIR / "predictions.csv"

# ---- data and split ----
ID_VARIABLE = "Id"
TARGET = "SalePrice"
TEST_SIZE = 0.1
RANDOM_STATE = 0

# ---- model ----
ALPHA = 0.001

# The features Lasso selection kept, in the order the model was fitted on (the order
# matters: coordinate descent visits the columns in this order).
FEATURES = [
    "MSSubClass",
    "MSZoning",
    "LotArea",
    "LotShape",
    "LandContour",
    "LotConfig",
    "Neighborhood",
    "OverallQual",
    "OverallCond",
    "YearRemodAdd",
    "RoofStyle",
    "Exterior1st",
    "ExterQual",
    "Foundation",
    "BsmtQual",
    "BsmtExposure",
    "BsmtFinType1",
    "HeatingQC",
    "CentralAir",
    "1stFlrSF",
    "2ndFlrSF",
    "GrLivArea",
    "BsmtFullBath",
    "FullBath",
    "HalfBath",
    "KitchenQual",
    "TotRmsAbvGrd",
    "Functional",
    "Fireplaces",
    "FireplaceQu",
    "GarageFinish",
    "GarageCars",
    "PavedDrive",
    "WoodDeckSF",
    "ScreenPorch",
    "SaleCondition",
]

# ---- step 0: categories written as numbers ----
NUMBER_CODED_CATEGORICAL_VARS = ["MSSubClass"]

# ---- step 1: the labels each categorical variable had in the training split ----
# Any other label is unseen and is treated as missing.
SEEN_LABELS = {
    "MSSubClass": [
        "120", "160", "180", "190", "20", "30", "40", "45", "50", "60", "70", "75",
        "80", "85", "90",
    ],
    "MSZoning": ["C (all)", "FV", "RH", "RL", "RM"],
    "LotShape": ["IR1", "IR2", "IR3", "Reg"],
    "LandContour": ["Bnk", "HLS", "Low", "Lvl"],
    "LotConfig": ["Corner", "CulDSac", "FR2", "FR3", "Inside"],
    "Neighborhood": [
        "Blmngtn", "Blueste", "BrDale", "BrkSide", "ClearCr", "CollgCr", "Crawfor",
        "Edwards", "Gilbert", "IDOTRR", "MeadowV", "Mitchel", "NAmes", "NPkVill",
        "NWAmes", "NoRidge", "NridgHt", "OldTown", "SWISU", "Sawyer", "SawyerW",
        "Somerst", "StoneBr", "Timber", "Veenker",
    ],
    "RoofStyle": ["Flat", "Gable", "Gambrel", "Hip", "Mansard", "Shed"],
    "Exterior1st": [
        "AsbShng", "AsphShn", "BrkComm", "BrkFace", "CBlock", "CemntBd", "HdBoard",
        "ImStucc", "MetalSd", "Plywood", "Stone", "Stucco", "VinylSd", "Wd Sdng",
        "WdShing",
    ],
    "ExterQual": ["Ex", "Fa", "Gd", "TA"],
    "Foundation": ["BrkTil", "CBlock", "PConc", "Slab", "Stone", "Wood"],
    "BsmtQual": ["Ex", "Fa", "Gd", "TA"],
    "BsmtExposure": ["Av", "Gd", "Mn", "No"],
    "BsmtFinType1": ["ALQ", "BLQ", "GLQ", "LwQ", "Rec", "Unf"],
    "HeatingQC": ["Ex", "Fa", "Gd", "Po", "TA"],
    "CentralAir": ["N", "Y"],
    "KitchenQual": ["Ex", "Fa", "Gd", "TA"],
    "Functional": ["Maj1", "Maj2", "Min1", "Min2", "Mod", "Sev", "Typ"],
    "FireplaceQu": ["Ex", "Fa", "Gd", "Po", "TA"],
    "GarageFinish": ["Fin", "RFn", "Unf"],
    "PavedDrive": ["N", "P", "Y"],
    "SaleCondition": ["Abnorml", "AdjLand", "Alloca", "Family", "Normal", "Partial"],
}  # fmt: skip

# ---- step 2: categorical imputation ----
# Variables with missing values in the training split get their own label...
CATEGORICAL_MISSING_LABEL = "Missing"
CATEGORICAL_VARS_WITH_NA_MISSING = [
    "BsmtQual",
    "BsmtExposure",
    "BsmtFinType1",
    "FireplaceQu",
    "GarageFinish",
]
# ...every other one gets its most frequent training label.
CATEGORICAL_FREQUENT_LABELS = {
    "MSSubClass": "20",
    "MSZoning": "RL",
    "LotShape": "Reg",
    "LandContour": "Lvl",
    "LotConfig": "Inside",
    "Neighborhood": "NAmes",
    "RoofStyle": "Gable",
    "Exterior1st": "VinylSd",
    "ExterQual": "TA",
    "Foundation": "PConc",
    "HeatingQC": "Ex",
    "CentralAir": "Y",
    "KitchenQual": "TA",
    "Functional": "Typ",
    "PavedDrive": "Y",
    "SaleCondition": "Normal",
}

# ---- step 3: numerical imputation, with the training means ----
NUMERICAL_MEANS = {
    "LotArea": 10597.40106544901,
    "OverallQual": 6.1057838660578385,
    "OverallCond": 5.589802130898021,
    "YearRemodAdd": 1984.7838660578386,
    "1stFlrSF": 1165.5502283105022,
    "2ndFlrSF": 349.78767123287673,
    "GrLivArea": 1521.3485540334855,
    "BsmtFullBath": 0.4208523592085236,
    "FullBath": 1.5631659056316591,
    "HalfBath": 0.3850837138508371,
    "TotRmsAbvGrd": 6.5350076103500765,
    "Fireplaces": 0.6156773211567732,
    "GarageCars": 1.7633181126331812,
    "WoodDeckSF": 94.68036529680366,
    "ScreenPorch": 14.681126331811264,
    "YrSold": 2007.8150684931506,
}

# ---- step 4: years elapsed until the sale ----
TEMPORAL_VARIABLES = ["YearRemodAdd"]
REFERENCE_VARIABLE = "YrSold"

# ---- step 5: log of skewed areas ----
LOG_VARIABLES = ["LotArea", "1stFlrSF", "GrLivArea"]

# ---- step 6: areas that are mostly zero become 0/1 ----
BINARIZE_VARIABLES = ["ScreenPorch"]

# ---- step 7: ordered categories mapped to numbers ----
QUALITY_MAPPINGS = {"Missing": 0, "Po": 1, "Fa": 2, "TA": 3, "Gd": 4, "Ex": 5}
QUALITY_VARS = ["ExterQual", "BsmtQual", "HeatingQC", "KitchenQual", "FireplaceQu"]
EXPOSURE_MAPPINGS = {"Missing": 0, "No": 1, "Mn": 2, "Av": 3, "Gd": 4}
FINISH_MAPPINGS = {
    "Missing": 0,
    "Unf": 1,
    "LwQ": 2,
    "Rec": 3,
    "BLQ": 4,
    "ALQ": 5,
    "GLQ": 6,
}
GARAGE_MAPPINGS = {"Missing": 0, "Unf": 1, "RFn": 2, "Fin": 3}
MAPPINGS = {
    **dict.fromkeys(QUALITY_VARS, QUALITY_MAPPINGS),
    "BsmtExposure": EXPOSURE_MAPPINGS,
    "BsmtFinType1": FINISH_MAPPINGS,
    "GarageFinish": GARAGE_MAPPINGS,
}

# ---- step 8: labels in at least 1 % of the training rows; the others become Rare ----
RARE_LABEL = "Rare"
FREQUENT_LABELS = {
    "MSSubClass": [
        "120", "160", "190", "20", "30", "50", "60", "70", "75", "80", "85", "90",
    ],
    "MSZoning": ["FV", "RH", "RL", "RM"],
    "LotShape": ["IR1", "IR2", "Reg"],
    "LandContour": ["Bnk", "HLS", "Low", "Lvl"],
    "LotConfig": ["Corner", "CulDSac", "FR2", "Inside"],
    "Neighborhood": [
        "Blmngtn", "BrDale", "BrkSide", "ClearCr", "CollgCr", "Crawfor", "Edwards",
        "Gilbert", "IDOTRR", "MeadowV", "Mitchel", "NAmes", "NWAmes", "NoRidge",
        "NridgHt", "OldTown", "SWISU", "Sawyer", "SawyerW", "Somerst", "StoneBr",
        "Timber",
    ],
    "RoofStyle": ["Gable", "Hip"],
    "Exterior1st": [
        "AsbShng", "BrkFace", "CemntBd", "HdBoard", "MetalSd", "Plywood", "Stucco",
        "VinylSd", "Wd Sdng", "WdShing",
    ],
    "Foundation": ["BrkTil", "CBlock", "PConc", "Slab"],
    "CentralAir": ["N", "Y"],
    "Functional": ["Min1", "Min2", "Mod", "Typ"],
    "PavedDrive": ["N", "P", "Y"],
    "SaleCondition": ["Abnorml", "Family", "Normal", "Partial"],
}  # fmt: skip

# ---- step 9: labels numbered in the order of their mean log price in training ----
ENCODING_MAPPINGS = {
    "MSSubClass": {
        "30": 0, "Rare": 1, "190": 2, "90": 3, "160": 4, "50": 5, "85": 6, "70": 7,
        "80": 8, "20": 9, "75": 10, "120": 11, "60": 12,
    },
    "MSZoning": {"Rare": 0, "RM": 1, "RH": 2, "RL": 3, "FV": 4},
    "LotShape": {"Reg": 0, "IR1": 1, "Rare": 2, "IR2": 3},
    "LandContour": {"Bnk": 0, "Lvl": 1, "Low": 2, "HLS": 3},
    "LotConfig": {"Inside": 0, "FR2": 1, "Corner": 2, "Rare": 3, "CulDSac": 4},
    "Neighborhood": {
        "IDOTRR": 0, "MeadowV": 1, "BrDale": 2, "Edwards": 3, "BrkSide": 4,
        "OldTown": 5, "Sawyer": 6, "SWISU": 7, "NAmes": 8, "Mitchel": 9,
        "SawyerW": 10, "Rare": 11, "NWAmes": 12, "Gilbert": 13, "Blmngtn": 14,
        "CollgCr": 15, "Crawfor": 16, "ClearCr": 17, "Somerst": 18, "Timber": 19,
        "StoneBr": 20, "NridgHt": 21, "NoRidge": 22,
    },
    "RoofStyle": {"Gable": 0, "Rare": 1, "Hip": 2},
    "Exterior1st": {
        "AsbShng": 0, "Wd Sdng": 1, "WdShing": 2, "MetalSd": 3, "Stucco": 4,
        "Rare": 5, "HdBoard": 6, "Plywood": 7, "BrkFace": 8, "CemntBd": 9,
        "VinylSd": 10,
    },
    "Foundation": {"Slab": 0, "BrkTil": 1, "CBlock": 2, "Rare": 3, "PConc": 4},
    "CentralAir": {"N": 0, "Y": 1},
    "Functional": {"Rare": 0, "Min2": 1, "Mod": 2, "Min1": 3, "Typ": 4},
    "PavedDrive": {"N": 0, "P": 1, "Y": 2},
    "SaleCondition": {"Rare": 0, "Abnorml": 1, "Family": 2, "Normal": 3, "Partial": 4},
}  # fmt: skip
