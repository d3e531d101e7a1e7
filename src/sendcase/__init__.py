"""SENDcase: statutory EHC casework for local authorities in England."""
