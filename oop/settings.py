"""Which variable goes through which step, the hyperparameters, and the paths.

The transformers *learn* their parameters (means, labels, encodings) in ``fit``,
so unlike the procedural stage nothing learned is written here: only decisions
the research stage made.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN_CSV = ROOT / "data" / "train.csv"
TEST_CSV = ROOT / "data" / "test.csv"
OUTPUT_DIR = ROOT / "oop" / "outputs"
MODEL_FILE = OUTPUT_DIR / "model.joblib"
PREDICTIONS_CSV = OUTPUT_DIR / "predictions.csv"

ID_VARIABLE = "Id"
TARGET = "SalePrice"

# Split of train.csv: the model learns on 90 %, the rest measures it.
TEST_SIZE = 0.1
RANDOM_STATE = 0

# The features Lasso selected in the research stage, in the model's column order.
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
# Not a feature, but the year the temporal variables are measured against.
REFERENCE_VARIABLE = "YrSold"

# The raw variables the pipeline reads (FEATURES and REFERENCE_VARIABLE), by type.
CATEGORICAL_VARIABLES = [
    "MSSubClass",
    "MSZoning",
    "LotShape",
    "LandContour",
    "LotConfig",
    "Neighborhood",
    "RoofStyle",
    "Exterior1st",
    "ExterQual",
    "Foundation",
    "BsmtQual",
    "BsmtExposure",
    "BsmtFinType1",
    "HeatingQC",
    "CentralAir",
    "KitchenQual",
    "Functional",
    "FireplaceQu",
    "GarageFinish",
    "PavedDrive",
    "SaleCondition",
]
NUMERICAL_VARIABLES = [
    "LotArea",
    "OverallQual",
    "OverallCond",
    "YearRemodAdd",
    "1stFlrSF",
    "2ndFlrSF",
    "GrLivArea",
    "BsmtFullBath",
    "FullBath",
    "HalfBath",
    "TotRmsAbvGrd",
    "Fireplaces",
    "GarageCars",
    "WoodDeckSF",
    "ScreenPorch",
    "YrSold",
]

# Categorical variables written as numbers.
NUMERIC_CODED_VARIABLES = ["MSSubClass"]

# Numerical transformations.
TEMPORAL_VARIABLES = ["YearRemodAdd"]
LOG_VARIABLES = ["LotArea", "1stFlrSF", "GrLivArea"]
BINARIZE_VARIABLES = ["ScreenPorch"]

# Categorical variables mapped with a fixed order from the data description.
QUALITY_VARIABLES = [
    "ExterQual",
    "BsmtQual",
    "HeatingQC",
    "KitchenQual",
    "FireplaceQu",
]
QUALITY_MAPPINGS = {"Missing": 0, "Po": 1, "Fa": 2, "TA": 3, "Gd": 4, "Ex": 5}
EXPOSURE_VARIABLES = ["BsmtExposure"]
EXPOSURE_MAPPINGS = {"Missing": 0, "No": 1, "Mn": 2, "Av": 3, "Gd": 4}
FINISH_VARIABLES = ["BsmtFinType1"]
FINISH_MAPPINGS = {
    "Missing": 0,
    "Unf": 1,
    "LwQ": 2,
    "Rec": 3,
    "BLQ": 4,
    "ALQ": 5,
    "GLQ": 6,
}
GARAGE_VARIABLES = ["GarageFinish"]
GARAGE_MAPPINGS = {"Missing": 0, "Unf": 1, "RFn": 2, "Fin": 3}

# The other categorical variables: labels rarer than RARE_LABEL_TOL of the training
# rows grouped as "Rare", then encoded in the order of their mean log price.
ENCODED_VARIABLES = [
    "MSSubClass",
    "MSZoning",
    "LotShape",
    "LandContour",
    "LotConfig",
    "Neighborhood",
    "RoofStyle",
    "Exterior1st",
    "Foundation",
    "CentralAir",
    "Functional",
    "PavedDrive",
    "SaleCondition",
]
RARE_LABEL_TOL = 0.01

# The model.
ALPHA = 0.001
